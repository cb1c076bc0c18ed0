package diffview

import (
	"embed"
	"io/fs"
	"sync"

	"github.com/alecthomas/chroma/v2"
)

// lexerFS holds chroma's own XML definitions (chroma v2.27.0,
// lexers/embedded, MIT: lexers/COPYING) of the languages that kernel
// patches carry besides C: Makefiles, shell, Python, Perl, Rust, assembly,
// JSON, YAML and a few more. Importing chroma's lexers package instead
// would build its registry of 279 lexers at every process start (11 ms and
// 2.7 MB), also for 'patchreview check', which never highlights anything.
//
//go:embed lexers/*.xml
var lexerFS embed.FS

var (
	lexersOnce sync.Once
	lexerReg   *chroma.LexerRegistry
)

// lexerRegistry builds the registry at its first use.
func lexerRegistry() *chroma.LexerRegistry {
	lexersOnce.Do(func() {
		reg := chroma.NewLexerRegistry()
		paths, err := fs.Glob(lexerFS, "lexers/*.xml")
		if err != nil {
			panic(err)
		}
		for _, p := range paths {
			reg.Register(chroma.MustNewXMLLexer(lexerFS, p))
		}
		lexerReg = reg
	})
	return lexerReg
}
