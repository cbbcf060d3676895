package report

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"
	"time"
)

// Markdown writes the document as Markdown.
func (d *Doc) Markdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", mdEscape(d.Title))
	for _, s := range d.Subtitle {
		fmt.Fprintf(&b, "%s  \n", mdEscape(s))
	}
	for _, s := range d.Sections {
		fmt.Fprintf(&b, "\n## %s\n\n", mdEscape(s.Title))
		for i, it := range s.Items {
			if it.More {
				fmt.Fprintf(&b, "\n_%s_\n", mdEscape(it.Text))
				continue
			}
			bullet := "-"
			if s.Ordered {
				bullet = fmt.Sprintf("%d.", i+1)
			}
			line := mdEscape(it.Text)
			if it.Flag != "" {
				line += " **[" + mdEscape(it.Flag) + "]**"
			}
			fmt.Fprintf(&b, "%s %s\n", bullet, line)
			indent := strings.Repeat(" ", len(bullet)+1)
			for _, det := range it.Detail {
				for _, l := range strings.Split(det, "\n") {
					fmt.Fprintf(&b, "%s%s  \n", indent, mdEscape(l))
				}
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscape keeps text from turning into Markdown it did not mean.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;")
	return r.Replace(s)
}

// page is parsed at the first HTML briefing, not in every process's init
// (every command line run paid for it).
var page = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Parse(pageHTML))
})

const pageHTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Doc.Title}} — briefing</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:46rem;margin:1.5rem auto;padding:0 1rem;color:#1d2327;line-height:1.4}
h1{margin:0 0 .2rem;font-size:1.7rem}
.sub{margin:.1rem 0;color:#4a5560}
h2{font-size:1.1rem;margin:1.4rem 0 .4rem;padding-bottom:.2rem;border-bottom:2px solid #1f8a7a;color:#14665a}
ul,ol{margin:.2rem 0;padding-left:1.3rem}
li{margin:.35rem 0}
li.more{list-style:none;color:#4a5560;font-style:italic}
.flag{display:inline-block;margin-left:.4rem;padding:0 .4rem;border-radius:.6rem;background:#fde2cf;color:#8a3b00;font-size:.8rem;font-weight:600}
.detail{color:#4a5560;font-size:.92rem;white-space:pre-wrap}
footer{margin-top:2rem;color:#8a949e;font-size:.8rem}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}li{break-inside:avoid}}
</style></head><body>
<h1>{{.Doc.Title}}</h1>
{{range .Doc.Subtitle}}<p class="sub">{{.}}</p>
{{end}}{{range .Doc.Sections}}<h2>{{.Title}}</h2>
{{if .Ordered}}<ol>{{else}}<ul>{{end}}
{{range .Items}}<li{{if .More}} class="more"{{end}}>{{.Text}}{{if .Flag}}<span class="flag">{{.Flag}}</span>{{end}}{{range .Detail}}<div class="detail">{{.}}</div>{{end}}</li>
{{end}}{{if .Ordered}}</ol>{{else}}</ul>{{end}}
{{end}}<footer>Rapport briefing, {{.Made}}</footer>
</body></html>
`

// HTML writes the document as one self-contained page that prints well and
// reads on a phone.
func (d *Doc) HTML(w io.Writer, made time.Time) error {
	return page().Execute(w, struct {
		Doc  *Doc
		Made string
	}{d, DayTime(made)})
}
