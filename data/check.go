package data

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Verify reads every b-tree page of the database file (and of its
// write-ahead log) and checks its structure: page types, cell pointers,
// child and overflow page numbers. A page overwritten with garbage is found
// this way in a fraction of the time PRAGMA quick_check takes under
// modernc.org/sqlite (BenchmarkVerify), so it can run before the first write
// of every process. It does not check record contents or index order: that
// is integrity_check's work, done when a backup is taken.
func (s *Store) Verify(ctx context.Context) error {
	roots, err := s.rootPages(ctx)
	if err != nil {
		return err
	}
	if err := verifyFile(s.path, roots); err != nil {
		s.markDamaged(err)
		return fmt.Errorf("%s: %w: %v", s.path, ErrDamaged, err)
	}
	return nil
}

func (s *Store) rootPages(ctx context.Context) ([]uint32, error) {
	var q queryer = s.read
	if s.read == nil { // while Open migrates, before readers exist
		q = s.write
	}
	rows, err := q.QueryContext(ctx, `SELECT rootpage FROM sqlite_schema WHERE rootpage > 0`)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", s.path, mapError(err))
	}
	defer rows.Close()
	roots := []uint32{1}
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			return nil, fmt.Errorf("check %s: %w", s.path, mapError(err))
		}
		roots = append(roots, uint32(r))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("check %s: %w", s.path, mapError(err))
	}
	return roots, nil
}

// pager reads pages as SQLite sees them: the newest committed copy in the
// write-ahead log, else the page in the main file.
type pager struct {
	db, wal  *os.File
	pageSize int
	usable   int
	count    uint32
	inWAL    map[uint32]int64 // page number → offset of its page image in the log
	buf      []byte
}

func (p *pager) page(n uint32) ([]byte, error) {
	if n < 1 || n > p.count {
		return nil, fmt.Errorf("page number %d out of range 1..%d", n, p.count)
	}
	f, off := p.db, int64(n-1)*int64(p.pageSize)
	if o, ok := p.inWAL[n]; ok {
		f, off = p.wal, o
	}
	if _, err := f.ReadAt(p.buf, off); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read page %d: %w", n, err)
	}
	return p.buf, nil
}

func openPager(path string) (*pager, error) {
	db, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	p := &pager{db: db, inWAL: map[uint32]int64{}}
	var h [100]byte
	if _, err := db.ReadAt(h[:], 0); err != nil {
		db.Close()
		return nil, fmt.Errorf("read header: %w", err)
	}
	p.pageSize = int(binary.BigEndian.Uint16(h[16:]))
	if p.pageSize == 1 {
		p.pageSize = 65536
	}
	if p.pageSize < 512 || p.pageSize&(p.pageSize-1) != 0 {
		db.Close()
		return nil, fmt.Errorf("header: page size %d", p.pageSize)
	}
	p.usable = p.pageSize - int(h[20])
	fi, err := db.Stat()
	if err != nil {
		db.Close()
		return nil, err
	}
	p.count = uint32(fi.Size() / int64(p.pageSize))
	if binary.BigEndian.Uint32(h[92:]) == binary.BigEndian.Uint32(h[24:]) {
		if n := binary.BigEndian.Uint32(h[28:]); n > 0 {
			p.count = n
		}
	}
	p.buf = make([]byte, p.pageSize)
	if err := p.readWAL(path + "-wal"); err != nil {
		p.close()
		return nil, fmt.Errorf("write-ahead log: %w", err)
	}
	return p, nil
}

// readWAL indexes the frames of the log up to its last commit whose salts
// match the log header: those are the committed pages SQLite reads.
func (p *pager) readWAL(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var h [32]byte
	if _, err := io.ReadFull(f, h[:]); err != nil {
		f.Close()
		return nil // empty or not yet written: nothing committed there
	}
	if magic := binary.BigEndian.Uint32(h[0:]); magic&^1 != 0x377f0682 || int(binary.BigEndian.Uint32(h[8:])) != p.pageSize {
		f.Close()
		return nil // not a valid log: SQLite ignores it too
	}
	salt1, salt2 := binary.BigEndian.Uint32(h[16:]), binary.BigEndian.Uint32(h[20:])
	pending := map[uint32]int64{}
	frame := make([]byte, 24)
	for off := int64(32); ; off += int64(24 + p.pageSize) {
		if _, err := f.ReadAt(frame, off); err != nil {
			break
		}
		if binary.BigEndian.Uint32(frame[8:]) != salt1 || binary.BigEndian.Uint32(frame[12:]) != salt2 {
			break
		}
		pgno := binary.BigEndian.Uint32(frame[0:])
		pending[pgno] = off + 24
		if size := binary.BigEndian.Uint32(frame[4:]); size > 0 { // a commit
			for k, v := range pending {
				p.inWAL[k] = v
			}
			clear(pending)
			p.count = size
		}
	}
	if len(p.inWAL) == 0 {
		f.Close()
		return nil
	}
	p.wal = f
	return nil
}

func (p *pager) close() {
	p.db.Close()
	if p.wal != nil {
		p.wal.Close()
	}
}

// verifyFile reads the file once from start to end (in large reads: page by
// page, the system calls cost more than the checks), notes what each page
// says it holds, then walks every b-tree from its root, and the freelist,
// and says what is wrong with the first broken page it meets.
func verifyFile(path string, roots []uint32) error {
	p, err := openPager(path)
	if err != nil {
		return err
	}
	defer p.close()
	w := &walker{p: p, seen: make([]bool, p.count+1), pages: make([]pageInfo, p.count+1)}
	if err := w.scan(); err != nil {
		return err
	}
	for _, r := range roots {
		if err := w.tree(r); err != nil {
			return err
		}
	}
	return w.freelist()
}

// pageInfo is what one page says of itself, read in the scan.
type pageInfo struct {
	typ       byte
	bad       string // why its b-tree header or cells cannot be right
	next      uint32 // its first four bytes: the next page of an overflow chain
	kids      []uint32
	overflows [][2]uint32 // first overflow page, pages needed
}

type walker struct {
	p     *pager
	seen  []bool
	pages []pageInfo
}

func (w *walker) scan() error {
	const chunk = 1 << 20
	per := max(1, chunk/w.p.pageSize)
	buf := make([]byte, per*w.p.pageSize)
	for first := uint32(1); first <= w.p.count; first += uint32(per) {
		n, err := w.p.db.ReadAt(buf, int64(first-1)*int64(w.p.pageSize))
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read page %d: %w", first, err)
		}
		for i := 0; i < per && first+uint32(i) <= w.p.count; i++ {
			pg := first + uint32(i)
			var b []byte
			if _, ok := w.p.inWAL[pg]; ok {
				if b, err = w.p.page(pg); err != nil {
					return err
				}
			} else if (i+1)*w.p.pageSize <= n {
				b = buf[i*w.p.pageSize : (i+1)*w.p.pageSize]
			} else {
				w.pages[pg].bad = "beyond the end of the file"
				continue
			}
			w.pages[pg] = w.parse(pg, b)
		}
	}
	return nil
}

func (w *walker) parse(pg uint32, b []byte) pageInfo {
	hdr := 0
	if pg == 1 {
		hdr = 100
	}
	info := pageInfo{typ: b[hdr], next: binary.BigEndian.Uint32(b)}
	typ := info.typ
	if typ != 0x02 && typ != 0x05 && typ != 0x0a && typ != 0x0d {
		return info
	}
	leaf := typ == 0x0d || typ == 0x0a
	hlen := 8
	if !leaf {
		hlen = 12
	}
	usable := w.p.usable
	ncells := int(binary.BigEndian.Uint16(b[hdr+3:]))
	content := int(binary.BigEndian.Uint16(b[hdr+5:]))
	if content == 0 {
		content = 65536
	}
	ptrEnd := hdr + hlen + 2*ncells
	if ptrEnd > usable || content < ptrEnd || content > usable {
		info.bad = fmt.Sprintf("%d cells do not fit (content area at %d)", ncells, content)
		return info
	}
	if !leaf {
		info.kids = make([]uint32, 0, ncells+1)
	}
	for i := 0; i < ncells; i++ {
		c := int(binary.BigEndian.Uint16(b[hdr+hlen+2*i:]))
		if c < ptrEnd || c >= usable {
			info.bad = fmt.Sprintf("cell %d points outside the page (%d)", i, c)
			return info
		}
		if !leaf {
			if c+4 > usable {
				info.bad = fmt.Sprintf("cell %d runs off the page", i)
				return info
			}
			info.kids = append(info.kids, binary.BigEndian.Uint32(b[c:]))
			c += 4
			if typ == 0x05 {
				continue // table interior cells hold only a key
			}
		}
		payload, n := uvarint(b[c:usable])
		if n == 0 {
			info.bad = fmt.Sprintf("cell %d is unreadable", i)
			return info
		}
		c += n
		if typ == 0x0d {
			if _, n = uvarint(b[c:usable]); n == 0 {
				info.bad = fmt.Sprintf("cell %d is unreadable", i)
				return info
			}
			c += n
		}
		local := localPayload(usable, payload, typ == 0x0d)
		if uint64(c)+local > uint64(usable) {
			info.bad = fmt.Sprintf("cell %d runs off the page", i)
			return info
		}
		if local < payload {
			if c+int(local)+4 > usable {
				info.bad = fmt.Sprintf("cell %d runs off the page", i)
				return info
			}
			need := (payload - local + uint64(usable-4) - 1) / uint64(usable-4)
			if need > uint64(w.p.count) {
				info.bad = fmt.Sprintf("cell %d claims %d bytes", i, payload)
				return info
			}
			info.overflows = append(info.overflows, [2]uint32{binary.BigEndian.Uint32(b[c+int(local):]), uint32(need)})
		}
	}
	if !leaf {
		info.kids = append(info.kids, binary.BigEndian.Uint32(b[hdr+8:])) // the right-most child
	}
	return info
}

func (w *walker) claim(n uint32, what string) error {
	if n < 1 || n > w.p.count {
		return fmt.Errorf("%s: page number %d out of range 1..%d", what, n, w.p.count)
	}
	if w.seen[n] {
		return fmt.Errorf("%s: page %d is used twice", what, n)
	}
	w.seen[n] = true
	return nil
}

// tree checks the b-tree rooted at root, iteratively: a damaged page could
// otherwise send a recursion anywhere.
func (w *walker) tree(root uint32) error {
	type item struct {
		page  uint32
		depth int
	}
	stack := []item{{root, 0}}
	var table bool
	leafDepth := -1
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if err := w.claim(it.page, fmt.Sprintf("b-tree of root page %d", root)); err != nil {
			return err
		}
		info := &w.pages[it.page]
		if it.page == root {
			table = info.typ == 0x05 || info.typ == 0x0d
		}
		ok := info.typ == 0x02 || info.typ == 0x0a
		if table {
			ok = info.typ == 0x05 || info.typ == 0x0d
		}
		if !ok {
			return fmt.Errorf("page %d (in the b-tree of root page %d): not a b-tree page (type byte %#x)", it.page, root, info.typ)
		}
		if info.bad != "" {
			return fmt.Errorf("page %d (in the b-tree of root page %d): %s", it.page, root, info.bad)
		}
		if info.typ == 0x0d || info.typ == 0x0a {
			if leafDepth >= 0 && leafDepth != it.depth {
				return fmt.Errorf("page %d: a leaf at depth %d, others at %d", it.page, it.depth, leafDepth)
			}
			leafDepth = it.depth
		}
		for _, k := range info.kids {
			stack = append(stack, item{k, it.depth + 1})
		}
		for _, o := range info.overflows {
			if err := w.overflow(it.page, o[0], o[1]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *walker) overflow(from, first, need uint32) error {
	next := first
	for i := uint32(0); i < need; i++ {
		if err := w.claim(next, fmt.Sprintf("overflow chain of page %d", from)); err != nil {
			return err
		}
		next = w.pages[next].next
	}
	if next != 0 {
		return fmt.Errorf("overflow chain of page %d: does not end after %d pages", from, need)
	}
	return nil
}

func (w *walker) freelist() error {
	b, err := w.p.page(1)
	if err != nil {
		return err
	}
	trunk, total := binary.BigEndian.Uint32(b[32:]), binary.BigEndian.Uint32(b[36:])
	var counted uint32
	for trunk != 0 {
		if err := w.claim(trunk, "freelist"); err != nil {
			return err
		}
		b, err := w.p.page(trunk)
		if err != nil {
			return err
		}
		n := binary.BigEndian.Uint32(b[4:])
		if int(n) > (w.p.usable-8)/4 {
			return fmt.Errorf("freelist trunk page %d: %d leaves", trunk, n)
		}
		next := binary.BigEndian.Uint32(b)
		leaves := make([]uint32, n)
		for i := range leaves {
			leaves[i] = binary.BigEndian.Uint32(b[8+4*i:])
		}
		for _, l := range leaves {
			if err := w.claim(l, "freelist"); err != nil {
				return err
			}
		}
		counted += 1 + n
		if counted > w.p.count {
			return errors.New("freelist: longer than the file")
		}
		trunk = next
	}
	if counted != total {
		return fmt.Errorf("freelist: %d pages, the header says %d", counted, total)
	}
	return nil
}

// localPayload is how much of a cell's payload is on its b-tree page; the
// rest goes to overflow pages (the SQLite file format, section 1.6).
func localPayload(usable int, payload uint64, tableLeaf bool) uint64 {
	u := uint64(usable)
	x := u - 35
	if !tableLeaf {
		x = (u-12)*64/255 - 23
	}
	if payload <= x {
		return payload
	}
	m := (u-12)*32/255 - 23
	k := m + (payload-m)%(u-4)
	if k <= x {
		return k
	}
	return m
}

// uvarint reads SQLite's big-endian varint (1 to 9 bytes); n is 0 when b
// ends first.
func uvarint(b []byte) (v uint64, n int) {
	for i := 0; i < 9; i++ {
		if i >= len(b) {
			return 0, 0
		}
		if i == 8 {
			return v<<8 | uint64(b[i]), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return v, 9
}

// IntegrityCheck runs SQLite's full PRAGMA integrity_check (record contents,
// index order, the full-text indexes): too slow for every start on a large
// database (BenchmarkQuickCheck), so the window runs it in the background and
// `rapport check` on request.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	if err := s.Verify(ctx); err != nil {
		return err
	}
	rows, err := s.read.QueryContext(ctx, `PRAGMA integrity_check(20)`)
	if err != nil {
		if errors.Is(mapError(err), ErrDamaged) {
			s.markDamaged(err)
		}
		return fmt.Errorf("check %s: %w", s.path, mapError(err))
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("check %s: %w", s.path, mapError(err))
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check %s: %w", s.path, mapError(err))
	}
	if len(problems) > 0 {
		err := errors.New(strings.Join(problems, "; "))
		s.markDamaged(err)
		return fmt.Errorf("%s: %w: %v", s.path, ErrDamaged, err)
	}
	return nil
}

// Damaged says what is wrong with the file, once a check or a query has
// found it damaged; nil until then.
func (s *Store) Damaged() error {
	if d := s.damaged.Load(); d != nil {
		return *d
	}
	return nil
}
