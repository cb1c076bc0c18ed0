package storage

import (
	"container/list"
	"context"
	"sync"

	"patchreview/review"
)

// parseCache keeps recent parses: the messages the writer stored as series
// members, so that anchoring a reply on its parent does not parse the
// parent's raw bytes again for every reply (11% of the writer's time on a
// real archive), and the covers and replies pages read. Keyed by the raw
// bytes, an entry is what parsing them gives (never a row's own fields),
// so it cannot be stale; bounded by their size. Entries are shared: no
// caller may change a message it gets.
type parseCache struct {
	mu    sync.Mutex
	max   int
	size  int
	order *list.List // of *parseEntry, most recent first
	byRaw map[string]*list.Element
}

type parseEntry struct {
	raw string
	m   *review.Message
}

func newParseCache(maxBytes int) *parseCache {
	return &parseCache{max: maxBytes, order: list.New(), byRaw: map[string]*list.Element{}}
}

// put remembers m as the parse of raw.
func (c *parseCache) put(raw []byte, m *review.Message) {
	if c == nil || len(raw)*3 > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byRaw[string(raw)]; ok {
		c.order.MoveToFront(e)
		return
	}
	k := string(raw)
	c.byRaw[k] = c.order.PushFront(&parseEntry{raw: k, m: m})
	c.size += 3 * len(raw) // the raw key and, roughly, the parsed message
	for c.size > c.max {
		e := c.order.Back()
		pe := e.Value.(*parseEntry)
		c.order.Remove(e)
		delete(c.byRaw, pe.raw)
		c.size -= 3 * len(pe.raw)
	}
}

// parse returns the cached parse of raw, or parses it.
func (c *parseCache) parse(raw []byte) (*review.Message, error) {
	if c != nil {
		c.mu.Lock()
		e, ok := c.byRaw[string(raw)]
		if ok {
			c.order.MoveToFront(e)
		}
		c.mu.Unlock()
		if ok {
			return e.Value.(*parseEntry).m, nil
		}
	}
	return parseSafely(raw)
}

// parseKeep is parse that also remembers a parse it had to make: the pages
// read the same covers and replies again and again (the reply parses were a
// fifth of the largest series page's time). Callers must not change the
// message they get: it is shared.
func (c *parseCache) parseKeep(raw []byte) (*review.Message, error) {
	m, err := c.parse(raw)
	if err == nil {
		c.put(raw, m)
	}
	return m, err
}

type parseCacheKey struct{}

// parseStored parses a stored message: through the store's parse cache when
// ctx carries it (anchorReply parses each reply's parent), and guarded
// against a parser panic (parseSafely), as every parse in the writer is.
func parseStored(ctx context.Context, raw []byte) (*review.Message, error) {
	c, _ := ctx.Value(parseCacheKey{}).(*parseCache)
	return c.parse(raw)
}
