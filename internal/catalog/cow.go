package catalog

import (
	"hash/maphash"
	"maps"
	"slices"
)

// The read model is immutable once published, so a change builds a new one. These two
// structures let it share everything the change did not touch: a change copies a few
// small pieces, not the catalog.

// shardedMap is a map split into many small Go maps. An edit copies the shard array (one
// pointer per shard) and each shard it writes to, once; readers of the previous version
// are unaffected.
type shardedMap[K comparable, V any] struct {
	shards []map[K]V
	hash   func(K) uint64
	n      int
}

// newShardedMap sizes the map for about size entries: enough shards that copying one
// costs microseconds.
func newShardedMap[K comparable, V any](hash func(K) uint64, size int) *shardedMap[K, V] {
	n := 16
	for n < size/128 && n < 1<<16 {
		n <<= 1
	}
	return &shardedMap[K, V]{shards: make([]map[K]V, n), hash: hash}
}

func (m *shardedMap[K, V]) shard(k K) int { return int(m.hash(k) & uint64(len(m.shards)-1)) }

func (m *shardedMap[K, V]) get(k K) (V, bool) {
	v, ok := m.shards[m.shard(k)][k]
	return v, ok
}

func (m *shardedMap[K, V]) len() int { return m.n }

// all calls fn for every entry, in no particular order, until fn returns false.
func (m *shardedMap[K, V]) all(fn func(K, V) bool) {
	for _, s := range m.shards {
		for k, v := range s {
			if !fn(k, v) {
				return
			}
		}
	}
}

// mapEdit is one change to a shardedMap, producing a new version.
type mapEdit[K comparable, V any] struct {
	m      *shardedMap[K, V]
	copied []bool
}

func (m *shardedMap[K, V]) edit() *mapEdit[K, V] {
	next := &shardedMap[K, V]{shards: slices.Clone(m.shards), hash: m.hash, n: m.n}
	return &mapEdit[K, V]{m: next, copied: make([]bool, len(m.shards))}
}

func (e *mapEdit[K, V]) own(i int) map[K]V {
	if !e.copied[i] {
		if e.m.shards[i] == nil {
			e.m.shards[i] = make(map[K]V)
		} else {
			e.m.shards[i] = maps.Clone(e.m.shards[i])
		}
		e.copied[i] = true
	}
	return e.m.shards[i]
}

func (e *mapEdit[K, V]) set(k K, v V) {
	s := e.own(e.m.shard(k))
	if _, ok := s[k]; !ok {
		e.m.n++
	}
	s[k] = v
}

func (e *mapEdit[K, V]) delete(k K) {
	i := e.m.shard(k)
	if _, ok := e.m.shards[i][k]; !ok {
		return
	}
	delete(e.own(i), k)
	e.m.n--
}

// done returns the new version; the edit must not be used afterwards.
func (e *mapEdit[K, V]) done() *shardedMap[K, V] { return e.m }

// stringHash returns a hash for one map's string keys, with a seed of its own.
func stringHash() func(string) uint64 {
	seed := maphash.MakeSeed()
	return func(s string) uint64 { return maphash.String(seed, s) }
}

// hashID spreads sequential IDs over the shards (Fibonacci hashing).
func hashID[T ~int64](id T) uint64 { return uint64(id) * 0x9E3779B97F4A7C15 >> 32 }

// chunkBits sizes the chunks of a chunkedSlice: 256 entries.
const chunkBits = 8

// chunkedSlice is a slice stored as fixed-size chunks, so an edit copies the chunk list
// and the chunks it writes to, not the whole slice.
type chunkedSlice[T any] struct {
	chunks [][]T
	n      int
}

func (c *chunkedSlice[T]) get(i int32) T { return c.chunks[i>>chunkBits][i&(1<<chunkBits-1)] }

func (c *chunkedSlice[T]) len() int { return c.n }

type sliceEdit[T any] struct {
	c      *chunkedSlice[T]
	copied map[int]bool
}

func (c *chunkedSlice[T]) edit() *sliceEdit[T] {
	return &sliceEdit[T]{c: &chunkedSlice[T]{chunks: slices.Clone(c.chunks), n: c.n}, copied: map[int]bool{}}
}

func (e *sliceEdit[T]) set(i int32, v T) {
	ci := int(i >> chunkBits)
	if !e.copied[ci] {
		e.c.chunks[ci] = slices.Clone(e.c.chunks[ci])
		e.copied[ci] = true
	}
	e.c.chunks[ci][i&(1<<chunkBits-1)] = v
}

// push appends v and returns its index.
func (e *sliceEdit[T]) push(v T) int32 {
	i := int32(e.c.n)
	if e.c.n>>chunkBits == len(e.c.chunks) {
		e.c.chunks = append(e.c.chunks, make([]T, 1<<chunkBits))
		e.copied[len(e.c.chunks)-1] = true
	}
	e.c.n++
	e.set(i, v)
	return i
}

func (e *sliceEdit[T]) get(i int32) T { return e.c.get(i) }

func (e *sliceEdit[T]) done() *chunkedSlice[T] { return e.c }
