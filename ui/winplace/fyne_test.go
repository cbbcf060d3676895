package winplace

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestFyneWindowFields reads the source of the Fyne that go.mod names and
// fails if its GLFW window no longer has the fields fyne.go reaches, with
// the types it expects, or no longer runs its pending functions in create()
// after the native window exists: upgrading Fyne must not silently lose
// the window's position. (TestWindowPlaceUnderXvfb in package main checks
// the same with a real window, where there is a display.)
func TestFyneWindowFields(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "fyne.io/fyne/v2").Output()
	if err != nil {
		t.Fatalf("go list -m fyne.io/fyne/v2: %v", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		t.Fatal("go list -m fyne.io/fyne/v2 gave no source folder (vendored or not downloaded?): cannot check the fields winplace reaches")
	}
	path := filepath.Join(dir, "internal", "driver", "glfw", "window_desktop.go")
	file, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatalf("Fyne's GLFW window source: %v", err)
	}
	glfwName := ""
	for _, im := range file.Imports {
		if im.Path.Value == `"github.com/go-gl/glfw/v3.3/glfw"` {
			glfwName = "glfw"
			if im.Name != nil {
				glfwName = im.Name.Name
			}
		}
	}
	if glfwName == "" {
		t.Fatalf("%s does not import github.com/go-gl/glfw/v3.3/glfw, which fyne.go assumes", path)
	}
	want := map[string]string{"viewport": "*" + glfwName + ".Window", "closing": "bool", "pending": "[]func()"}
	found := map[string]string{}
	var create *ast.FuncDecl
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.TypeSpec:
			if st, ok := n.Type.(*ast.StructType); ok && n.Name.Name == "window" {
				for _, f := range st.Fields.List {
					for _, name := range f.Names {
						found[name.Name] = typeString(f.Type)
					}
				}
			}
		case *ast.FuncDecl:
			if n.Name.Name == "create" && n.Recv != nil {
				create = n
			}
		}
		return true
	})
	for name, typ := range want {
		if found[name] != typ {
			t.Errorf("Fyne's glfw.window field %s is %q, fyne.go expects %q (%s)", name, found[name], typ, path)
		}
	}
	// In create(): w.viewport = …, then w.drainPendingEvents().
	if create == nil {
		t.Fatalf("%s has no (*window).create", path)
	}
	assigned, drained := -1, -1
	for i, st := range create.Body.List {
		switch st := st.(type) {
		case *ast.AssignStmt:
			if sel, ok := st.Lhs[0].(*ast.SelectorExpr); ok && sel.Sel.Name == "viewport" && assigned < 0 {
				assigned = i
			}
		case *ast.ExprStmt:
			if call, ok := st.X.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "drainPendingEvents" {
					drained = i
				}
			}
		}
	}
	if assigned < 0 || drained < assigned {
		t.Errorf("(*window).create in %s no longer sets viewport and then drains the pending functions (statements %d, %d)", path, assigned, drained)
	}
}

func typeString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.StarExpr:
		return "*" + typeString(e.X)
	case *ast.SelectorExpr:
		return typeString(e.X) + "." + e.Sel.Name
	case *ast.ArrayType:
		return "[]" + typeString(e.Elt)
	case *ast.FuncType:
		if e.Params.NumFields() == 0 && e.Results.NumFields() == 0 {
			return "func()"
		}
	}
	return "?"
}

// Another driver's window (here the test driver's) is left alone: no
// position, no crash.
func TestOtherDriverLeftAlone(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("t")
	w.Resize(fyne.NewSize(800, 600))
	if err := Supported(w); err == nil {
		t.Error("the test driver's window was taken for GLFW's")
	}
	if Arrange(w, Want{HasPos: true, Fit: true}) {
		t.Error("Arrange claimed the test driver's window")
	}
	if _, ok := Position(w); ok {
		t.Error("Position gave a position for the test driver's window")
	}
	if got := w.Canvas().Size(); got != fyne.NewSize(800, 600) {
		t.Errorf("the window was resized to %v", got)
	}
}
