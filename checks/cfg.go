package checks

// nodeKind classifies a CFG node.
type nodeKind uint8

const (
	nNop         nodeKind = iota
	nExpr                 // an expression statement or declaration
	nCond                 // a two-way branch: succ[0] when true, succ[1] when false
	nSwitch               // a multi-way branch
	nReturn               // return (toks is the value)
	nExit                 // falling off the end of the function
	nGoto                 // a goto; the jump is recorded as the path's anchor
	nGap                  // unknown straight-line code
	nDead                 // BUG(), panic(): the path ends
	nUnknownExit          // a jump to a label the input does not show
)

// A node is one step of a function's control-flow graph.
type node struct {
	kind  nodeKind
	toks  []token
	line  int32
	succ  []int
	label string
	evs   []event
	iter  int8 // for a writeback_iter loop head: the folio variable, else -1
	loop  bool // head of a loop (its body may revisit it)
}

// A cfg is the control-flow graph of one function; node 0 is the entry.
type cfg struct {
	nodes  []node
	labels map[string]int
	gotos  []int
}

// jumpCtx is the innermost break/continue context.
type jumpCtx struct {
	brk, cont int // -1 when not applicable
	sw        *switchCtx
}

type switchCtx struct {
	cases      []int
	hasDefault bool
}

type cfgBuilder struct {
	g    *cfg
	ctxs []jumpCtx
	exit int
	unk  int
}

// buildCFG turns a statement tree into a control-flow graph.
func buildCFG(body *stmt, endLine int32, endKnown bool) *cfg {
	g := &cfg{labels: map[string]int{}}
	b := &cfgBuilder{g: g}
	b.add(node{kind: nNop, line: body.line}) // entry, linked below
	exitKind := nExit
	if !endKnown {
		exitKind = nUnknownExit // the function goes on beyond what the input shows
	}
	b.exit = b.add(node{kind: exitKind, line: endLine})
	b.unk = b.add(node{kind: nUnknownExit, line: endLine})
	first := b.stmt(body, b.exit)
	g.nodes[0].succ = []int{first}
	for _, id := range g.gotos {
		n := &g.nodes[id]
		if target, ok := g.labels[n.label]; ok {
			n.succ = []int{target}
		} else {
			n.succ = []int{b.unk}
		}
	}
	return g
}

func (b *cfgBuilder) add(n node) int {
	n.iter = -1
	b.g.nodes = append(b.g.nodes, n)
	return len(b.g.nodes) - 1
}

func (b *cfgBuilder) seq(list []*stmt, next int) int {
	for i := len(list) - 1; i >= 0; i-- {
		next = b.stmt(list[i], next)
	}
	return next
}

// stmt builds the nodes of s, which continue at next, and returns its entry.
func (b *cfgBuilder) stmt(s *stmt, next int) int {
	if s == nil {
		return next
	}
	switch s.kind {
	case sBlock:
		return b.seq(s.list, next)
	case sExpr:
		if len(s.toks) == 0 {
			return next
		}
		return b.add(node{kind: nExpr, toks: s.toks, line: s.line, succ: []int{next}})
	case sIf:
		t := b.stmt(s.body, next)
		f := next
		if s.els != nil {
			f = b.stmt(s.els, next)
		}
		return b.add(node{kind: nCond, toks: s.toks, line: s.line, succ: []int{t, f}})
	case sWhile, sDo, sFor:
		return b.loop(s, next)
	case sSwitch:
		return b.switchStmt(s, next)
	case sCase:
		if sw := b.innerSwitch(); sw != nil {
			sw.cases = append(sw.cases, next)
			if s.label == "default" {
				sw.hasDefault = true
			}
		}
		return next
	case sLabel:
		id := b.add(node{kind: nNop, line: s.line, succ: []int{next}})
		b.g.labels[s.label] = id
		return id
	case sGoto:
		id := b.add(node{kind: nGoto, line: s.line, label: s.label})
		b.g.gotos = append(b.g.gotos, id)
		return id
	case sBreak, sContinue:
		target := b.unk
		for i := len(b.ctxs) - 1; i >= 0; i-- {
			c := b.ctxs[i]
			if s.kind == sBreak && c.brk >= 0 {
				target = c.brk
				break
			}
			if s.kind == sContinue && c.cont >= 0 {
				target = c.cont
				break
			}
		}
		return b.add(node{kind: nGoto, line: s.line, succ: []int{target}})
	case sReturn:
		return b.add(node{kind: nReturn, toks: s.toks, line: s.line})
	case sGap:
		return b.add(node{kind: nGap, line: s.line, succ: []int{next}})
	case sDead:
		return b.add(node{kind: nDead, toks: s.toks, line: s.line})
	}
	return next
}

// loop builds while, do-while and for loops.
func (b *cfgBuilder) loop(s *stmt, next int) int {
	head := b.add(node{kind: nCond, toks: s.toks, line: s.line, loop: true})
	cont := head
	entry := head
	if s.kind == sFor {
		if len(s.post) > 0 {
			cont = b.add(node{kind: nExpr, toks: s.post, line: s.post[0].line, succ: []int{head}})
		}
		if len(s.init) > 0 {
			entry = b.add(node{kind: nExpr, toks: s.init, line: s.line, succ: []int{head}})
		}
	}
	b.ctxs = append(b.ctxs, jumpCtx{brk: next, cont: cont})
	body := b.stmt(s.body, cont)
	b.ctxs = b.ctxs[:len(b.ctxs)-1]
	if len(s.toks) == 0 {
		b.g.nodes[head].kind = nNop
		b.g.nodes[head].succ = []int{body}
	} else {
		b.g.nodes[head].succ = []int{body, next}
	}
	if s.kind == sDo {
		return body
	}
	return entry
}

// switchStmt builds a switch: a branch to every case label and to the
// default (or past the switch when there is none); cases fall through.
func (b *cfgBuilder) switchStmt(s *stmt, next int) int {
	sw := &switchCtx{}
	b.ctxs = append(b.ctxs, jumpCtx{brk: next, cont: -1, sw: sw})
	body := b.stmt(s.body, next)
	b.ctxs = b.ctxs[:len(b.ctxs)-1]
	succ := append([]int(nil), sw.cases...)
	if !sw.hasDefault || len(succ) == 0 {
		succ = append(succ, next)
	}
	if len(sw.cases) == 0 {
		succ = append(succ, body)
	}
	return b.add(node{kind: nSwitch, toks: s.toks, line: s.line, succ: succ})
}

func (b *cfgBuilder) innerSwitch() *switchCtx {
	for i := len(b.ctxs) - 1; i >= 0; i-- {
		if b.ctxs[i].sw != nil {
			return b.ctxs[i].sw
		}
		if b.ctxs[i].cont >= 0 {
			return nil
		}
	}
	return nil
}
