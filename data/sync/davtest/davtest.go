// Package davtest starts real CardDAV servers (Radicale and Xandikos, from
// Debian's packages) on loopback for tests and benchmarks: a free port, a
// temporary storage folder and a user with a password. They stop at
// t.Cleanup. Where a binary is missing the test is skipped, except on CI
// (CI=true), where .ci/deps.sh must have installed it and the test fails.
package davtest

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// User and Password are the account every test server accepts.
const (
	User     = "rep"
	Password = "s3cret;pass"
)

// Server is one running CardDAV server.
type Server struct {
	Name string // "radicale" or "xandikos"
	// URL is the plain server URL a user would type (no path).
	URL string
	// Storage is the server's own storage folder, for tests that read it.
	Storage string
	stop    func()
	// relaunch starts the server again on the same port and storage.
	relaunch func(tb testing.TB) (stop func())
}

// Restart starts a stopped server again on the same port and storage (a
// server back after a crash), and waits until it answers.
func (s *Server) Restart(tb testing.TB) {
	tb.Helper()
	s.stop = s.relaunch(tb)
}

// Stop kills the server now (a server that went away mid-work); cleanup
// after it is harmless.
func (s *Server) Stop(tb testing.TB) {
	tb.Helper()
	s.stop()
}

// Kind names a server and how to start it.
type Kind struct {
	Name  string
	Start func(tb testing.TB) *Server
}

// Kinds is the table of servers the suites run against.
var Kinds = []Kind{
	{"radicale", Radicale},
	{"xandikos", Xandikos},
}

// startupWait bounds how long a server may take to answer after starting;
// it is a guard against a hang, not a measurement.
const startupWait = 30 * time.Second

func need(tb testing.TB, bin string) string {
	tb.Helper()
	p, err := exec.LookPath(bin)
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s is not installed, but CI=true: .ci/deps.sh should have installed the Debian package %q", bin, bin)
	}
	tb.Skipf("%s is not installed (Debian package %q; .ci/deps.sh installs it): skipping the tests against it", bin, bin)
	return ""
}

// freePort asks the kernel for a free loopback port. Another process could
// take it before the server binds it; then the server exits at start and
// the test fails with the server's log.
func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// start runs cmd, stops it at cleanup and waits until base answers HTTP.
func start(tb testing.TB, name string, cmd *exec.Cmd, base string, logPath string) (stop func()) {
	tb.Helper()
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600) // a restart adds to the log
	if err != nil {
		tb.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		tb.Fatalf("start %s: %v", name, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cmd.Process.Kill()
			<-exited
			logf.Close()
		})
	}
	tb.Cleanup(stop)
	deadline := time.Now().Add(startupWait)
	for {
		select {
		case err := <-exited:
			out, _ := os.ReadFile(logPath)
			tb.Fatalf("%s exited at start (%v):\n%s", name, err, out)
		default:
		}
		resp, err := http.Get(base + "/")
		if err == nil {
			resp.Body.Close()
			return stop
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(logPath)
			tb.Fatalf("%s did not answer on %s within %v: %v\n%s", name, base, startupWait, err, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Radicale starts Debian's Radicale 3 with htpasswd auth (plain passwords:
// bcrypt would need passlib's bcrypt backend, which is another package) and
// owner-only rights, so the user's principal is /rep/.
func Radicale(tb testing.TB) *Server {
	tb.Helper()
	bin := need(tb, "radicale")
	dir := tb.TempDir()
	storage := filepath.Join(dir, "collections")
	users := filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte(User+":"+Password+"\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	port := freePort(tb)
	conf := fmt.Sprintf(`[server]
hosts = 127.0.0.1:%d
[auth]
type = htpasswd
htpasswd_filename = %s
htpasswd_encryption = plain
delay = 0
[rights]
type = owner_only
[storage]
filesystem_folder = %s
[web]
type = none
[logging]
level = warning
`, port, users, storage)
	confPath := filepath.Join(dir, "config")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		tb.Fatal(err)
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	launch := func(tb testing.TB) func() {
		return start(tb, "radicale", exec.Command(bin, "--config", confPath), base, filepath.Join(dir, "radicale.log"))
	}
	return &Server{Name: "radicale", URL: base, Storage: storage, stop: launch(tb), relaunch: launch}
}

// Xandikos starts Debian's Xandikos 0.2 with its principal at /rep/.
// Xandikos has no authentication of its own (it expects a front web server
// to do it), so it listens on a private loopback port and the tests reach
// it through a reverse proxy in the test process that checks Basic auth.
func Xandikos(tb testing.TB) *Server {
	tb.Helper()
	bin := need(tb, "xandikos")
	dir := tb.TempDir()
	storage := filepath.Join(dir, "store")
	port := freePort(tb)
	backend := fmt.Sprintf("http://127.0.0.1:%d", port)
	target, _ := url.Parse(backend)
	proxy := httputil.NewSingleHostReverseProxy(target)
	// A new connection to Xandikos per request. Kept alive, a connection
	// the proxy reuses after a pause can be one aiohttp (Xandikos' server)
	// is closing at that moment: its keep-alive timeout is 75 s, and when
	// Xandikos is busy for long (multigets of 10,000 cards, its event loop
	// blocked) the close comes late and meets the next request. Go does not
	// resend a REPORT or PUT on a dead connection (not idempotent), so the
	// client got a 502 "proxy error: EOF". A front web server does the
	// same: it does not reuse connections to its backend without care.
	proxy.Transport = &http.Transport{DisableKeepAlives: true, Proxy: nil}
	frontAddr := "127.0.0.1:0"
	launch := func(tb testing.TB) func() {
		// Killed in the middle of a commit, Xandikos leaves git's index.lock
		// behind and answers 500 to every write after it starts again, until
		// whoever runs it removes the lock: do that as an admin would.
		locks, _ := filepath.Glob(filepath.Join(storage, "*", "*", ".git", "index.lock"))
		more, _ := filepath.Glob(filepath.Join(storage, "*", "*", "*", ".git", "index.lock"))
		for _, l := range append(locks, more...) {
			tb.Logf("xandikos: removing the stale %s its kill left", l)
			os.Remove(l)
		}
		cmd := exec.Command(bin, "-d", storage, "-l", "127.0.0.1", "-p", fmt.Sprint(port),
			"--autocreate", "--current-user-principal", "/"+User+"/")
		stop := start(tb, "xandikos", cmd, backend, filepath.Join(dir, "xandikos.log"))
		// The front comes back on the port it had, as the server's would.
		l, err := net.Listen("tcp", frontAddr)
		if err != nil {
			stop()
			tb.Fatalf("xandikos front on %s: %v", frontAddr, err)
		}
		front := httptest.NewUnstartedServer(basicAuth(proxy))
		front.Listener.Close()
		front.Listener = l
		front.Start()
		frontAddr = l.Addr().String()
		tb.Cleanup(front.Close)
		return func() { stop(); front.Close() }
	}
	stop := launch(tb)
	return &Server{Name: "xandikos", URL: "http://" + frontAddr, Storage: storage, stop: stop, relaunch: launch}
}

// basicAuth lets through only requests with User and Password, answering
// others 401 with a challenge, as a front web server would.
func basicAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(u), []byte(User)) != 1 ||
			subtle.ConstantTimeCompare([]byte(p), []byte(Password)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="xandikos"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Hanging starts a listener that accepts connections and never answers,
// for timeout tests. It returns its URL.
func Hanging(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan struct{})
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				close(done)
				return
			}
			conns = append(conns, c) // held open, never read or answered
		}
	}()
	tb.Cleanup(func() {
		l.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + l.Addr().String()
}

// Refused returns a loopback URL where nothing listens.
func Refused(tb testing.TB) string {
	tb.Helper()
	return fmt.Sprintf("http://127.0.0.1:%d", freePort(tb))
}

// Files lists the regular files under the server's storage folder, for
// tests that check what the server keeps.
func (s *Server) Files(tb testing.TB) []string {
	tb.Helper()
	var out []string
	err := filepath.WalkDir(s.Storage, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !strings.Contains(p, string(filepath.Separator)+".") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
