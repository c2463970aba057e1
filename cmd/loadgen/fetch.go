package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
)

// maxBody caps what discovery reads from one response, so a misbehaving server cannot
// exhaust the load generator's memory before a single request is timed.
const maxBody = 64 << 20

// getFunc fetches u and returns the body of a 200 answer, decoded; anything else is an
// error. Discovery code takes one instead of an *http.Client so tests can serve pages
// from memory.
type getFunc func(ctx context.Context, u *url.URL) ([]byte, error)

// httpGet returns a getFunc that uses client.
func httpGet(client *http.Client) getFunc {
	return func(ctx context.Context, u *url.URL) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", u.RequestURI(), err)
		}
		defer resp.Body.Close()
		raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", u.RequestURI(), err)
		}
		if resp.StatusCode != http.StatusOK {
			return nil, &statusError{URL: u.RequestURI(), Status: resp.StatusCode}
		}
		// No Accept-Encoding was sent, but a server may compress all the same; what
		// discovery parses must be the HTML.
		body, err := decodeBody(resp.Header.Get("Content-Encoding"), raw)
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", u.RequestURI(), err)
		}
		return body, nil
	}
}

// statusError is a discovery request answered with something other than 200.
type statusError struct {
	URL    string
	Status int
}

func (e *statusError) Error() string {
	return fmt.Sprintf("GET %s: status %d %s", e.URL, e.Status, http.StatusText(e.Status))
}

// getPage fetches and parses an HTML page.
func getPage(ctx context.Context, get getFunc, u *url.URL) (*node, error) {
	body, err := get(ctx, u)
	if err != nil {
		return nil, err
	}
	return parseHTML(string(body)), nil
}

// getPages fetches urls with a few requests in flight (discovery of a slow server should
// not take minutes) and returns the parsed pages in the order of urls. The first failure
// stops the rest.
func getPages(parent context.Context, get getFunc, urls []*url.URL, parallel int) ([]*node, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	pages := make([]*node, len(urls))
	var (
		mu    sync.Mutex
		first error // the failure that stopped the others, not their cancellations
	)
	next := make(chan int)
	var wg sync.WaitGroup
	for range parallel {
		wg.Go(func() {
			for i := range next {
				page, err := getPage(ctx, get, urls[i])
				if err != nil {
					mu.Lock()
					if first == nil {
						first = err
						cancel()
					}
					mu.Unlock()
					continue
				}
				pages[i] = page
			}
		})
	}
feed:
	for i := range urls {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if parent.Err() != nil {
		return nil, context.Cause(parent)
	}
	if first != nil {
		return nil, first
	}
	return pages, nil
}
