package catalog

import (
	"context"
	"fmt"
	"image"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/jobs"
)

// JobInserter is what the catalog needs of the job queue: inserting in its own
// transaction, so a rolled-back change queues nothing.
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// UseJobs attaches the job queue. The queue is built after the workers are registered,
// so this is a second step of construction.
func (s *Service) UseJobs(j JobInserter) { s.jobs = j }

// RegisterJobs adds the catalog's workers to the registry.
func (s *Service) RegisterJobs(reg *jobs.Registry) {
	river.AddWorker(reg.Workers, &renderImageWorker{svc: s})
	// One rendering at a time per process: it is CPU- and memory-heavy, and pages must
	// stay fast while a catalog's images are processed.
	reg.AddQueue(mediaQueue, 1)
}

// mediaQueue holds image rendering, apart from quick jobs such as emails.
const mediaQueue = "media"

// RenderImageArgs asks for every size of one stored original to be rendered.
type RenderImageArgs struct {
	Hash string `json:"hash"`
}

func (RenderImageArgs) Kind() string { return "catalog.render_image" }

// InsertOpts makes the job unique per image content: the same picture uploaded twice is
// rendered once.
func (RenderImageArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: mediaQueue, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type renderImageWorker struct {
	river.WorkerDefaults[RenderImageArgs]
	svc *Service
}

// Timeout allows for large originals on a busy machine.
func (w *renderImageWorker) Timeout(*river.Job[RenderImageArgs]) time.Duration {
	return 5 * time.Minute
}

func (w *renderImageWorker) Work(ctx context.Context, job *river.Job[RenderImageArgs]) error {
	return w.svc.renderImageFiles(ctx, job.Args.Hash)
}

// renderImageFiles renders the missing sizes of an image outside any transaction (it is
// slow), then stores them and marks the images rendered in one short one. Running twice
// is harmless: existing files are kept.
func (s *Service) renderImageFiles(ctx context.Context, hash string) error {
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM catalog.image_blobs WHERE hash = $1 AND width = 0`, hash).Scan(&data)
	if err != nil {
		return fmt.Errorf("catalog: render image %s: load original: %w", hash, err)
	}
	// The original is scaled to the widest rendition inside the decode, so only that
	// copy outlives the decode's slot.
	widest := slices.Max(ImageWidths)
	decoded, _, err := s.images.decode(ctx, data, func(img image.Image) image.Image { return scaleToWidth(img, widest) })
	if err != nil {
		return fmt.Errorf("catalog: render image %s: decode original: %w", hash, err)
	}
	files, err := renderRenditions(ctx, decoded)
	if err != nil {
		return fmt.Errorf("catalog: render image %s: %w", hash, err)
	}
	var products []ProductID
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		for _, f := range files {
			if _, err := tx.Exec(ctx, `
				INSERT INTO catalog.image_blobs (hash, width, format, data) VALUES ($1, $2, $3, $4)
				ON CONFLICT DO NOTHING`, hash, f.width, f.format, f.data); err != nil {
				return fmt.Errorf("catalog: store rendered image: %w", err)
			}
		}
		rows, err := tx.Query(ctx, `UPDATE catalog.images SET rendered_at = now() WHERE hash = $1 AND rendered_at IS NULL
			RETURNING product_id`, hash)
		if err != nil {
			return fmt.Errorf("catalog: mark image rendered: %w", err)
		}
		products, err = pgx.CollectRows(rows, pgx.RowTo[ProductID])
		if err != nil {
			return fmt.Errorf("catalog: mark image rendered: %w", err)
		}
		return s.cache.notifyProducts(ctx, tx, products...)
	})
	if err != nil {
		return err
	}
	s.changed(ctx, products...)
	return nil
}

// rendition is one rendered file of an image.
type rendition struct {
	width  int
	format string
	data   []byte
}

// renderRenditions renders img at every width in ImageWidths, in WebP and JPEG. Widest
// first, each width scaled once for both formats and from the width before it, so the
// original is read once and later scales read small images.
func renderRenditions(ctx context.Context, img image.Image) ([]rendition, error) {
	widths := slices.Sorted(slices.Values(ImageWidths))
	slices.Reverse(widths)
	var files []rendition
	scaled := img
	for _, width := range widths {
		scaled = scaleToWidth(scaled, width)
		for _, format := range []string{"webp", "jpeg"} {
			// Encoding cannot be interrupted, so a shutdown is honoured between renditions.
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			out, err := encodeImage(scaled, format)
			if err != nil {
				return nil, fmt.Errorf("at %d: %w", width, err)
			}
			files = append(files, rendition{width, format, out})
		}
	}
	return files, nil
}
