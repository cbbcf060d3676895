package data

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	benchGiven   = []string{"Maria", "James", "Anna", "Mohammed", "Sofia", "Lukas", "Emma", "Noah", "Olivia", "Liam", "Zoë", "Jörg", "Françoise", "Priya", "Wei", "Amara", "Hiroshi", "Fatima", "Pedro", "Ingrid", "Tomasz", "Aisha", "Oscar", "Chloe", "Mateo"}
	benchFamily  = []string{"Smith", "Müller", "García", "Nguyen", "Kowalski", "Okafor", "Rossi", "Dubois", "Jensen", "O'Connell", "Tanaka", "Haddad", "Silva", "Novak", "Schmidt", "Martin", "Brown", "Khan", "Ivanova", "Lindqvist", "Moreau", "Costa", "Walsh", "Fischer", "Patel"}
	benchCompany = []string{"Harbour Hotel", "Brasserie", "Metzgerei", "Golden Lotus", "Copper Kettle", "St Anne's", "Alpenblick", "Bistro", "Canteen", "Trattoria", "Bakery", "Deli", "Grill", "Inn", "Kitchen"}
	benchWords   = []string{"cold", "room", "quote", "delivery", "energy", "costs", "compressor", "service", "contract", "chiller", "oven", "price", "discount", "holiday", "daughter", "football", "renovation", "menu", "staff", "hygiene", "inspection", "warranty", "install", "budget", "invoice"}
)

// benchVocabulary is 5,000 words ranked for a Zipf draw, as words in real
// notes are: function words first, the trade's words in the top few hundred
// (so "cold" is in a few percent of notes, not in every other one), then a
// long tail.
var benchVocabulary = func() []string {
	common := strings.Fields("the and to a of in we for is on that with about it was he she they at be this have from next week new their our will as but not asked said wants told by are an or if can need")
	v := append([]string(nil), common...)
	syll := []string{"ka", "lo", "mi", "ren", "tor", "va", "bel", "sun", "dra", "pe", "qui", "zan", "fo", "gri", "hal", "jo"}
	domain := 0
	for i := 0; len(v) < 5000; i++ {
		if len(v) >= 60 && len(v)%12 == 0 && domain < len(benchWords) {
			v = append(v, benchWords[domain])
			domain++
			continue
		}
		w := syll[i%16] + syll[(i/16)%16] + syll[(i/256)%16]
		v = append(v, w)
	}
	return v
}()

func benchSentence(r *rand.Rand, z *rand.Zipf, n int) string {
	b := make([]byte, 0, n*8)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, benchVocabulary[z.Uint64()]...)
	}
	return string(b)
}

func benchCustomer(r *rand.Rand, i int) *Customer {
	given, family := benchGiven[r.Intn(len(benchGiven))], benchFamily[r.Intn(len(benchFamily))]
	return &Customer{
		GivenName: given, FamilyName: fmt.Sprintf("%s%d", family, i%997), Company: fmt.Sprintf("%s %d", benchCompany[r.Intn(len(benchCompany))], i%5000),
		Title:    "Manager",
		Phones:   []Labelled{{Label: "work", Value: fmt.Sprintf("+44 20 %04d %04d", r.Intn(10000), r.Intn(10000))}},
		Emails:   []Labelled{{Label: "work", Value: fmt.Sprintf("%s.%s%d@example.com", given, family, i)}},
		Tags:     []string{"restaurant"},
		Birthday: Date{Year: []int{0, 1960 + i%40}[i%2], Month: time.Month(1 + r.Intn(12)), Day: 1 + r.Intn(28)},
	}
}

// benchStore builds (once per process and size, cached on disk between runs)
// a database of n customers with interactions spread over them.
var benchMu sync.Mutex

func benchStore(b *testing.B, customers, interactions int) (*Store, string) {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("rapport-bench-v%d.4-%d-%d.db", SchemaVersion(), customers, interactions))
	ctx := context.Background()
	if _, err := os.Stat(path + ".done"); err == nil {
		s, err := Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		return s, path
	}
	os.Remove(path)
	os.Remove(path + "-wal")
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewSource(1))
	z := rand.NewZipf(r, 1.07, 1, uint64(len(benchVocabulary)-1))
	now := time.Now()
	const batch = 5000
	var ids []int64
	for start := 0; start < customers; start += batch {
		tx, err := s.begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for i := start; i < start+batch && i < customers; i++ {
			c := benchCustomer(r, i)
			if err := s.createCustomer(ctx, tx, c, now); err != nil {
				b.Fatal(err)
			}
			ids = append(ids, c.ID)
			// A third keep a cadence; one in five has a follow-up; one in
			// twenty a planned visit within the month; family with birthdays.
			if i%3 == 0 {
				tx.ExecContext(ctx, `UPDATE customers SET cadence_days = ?, cadence_max_days = ? WHERE id = ?`, 30, 45, c.ID)
			}
			if i%5 == 0 {
				due := DateOf(now.AddDate(0, 0, r.Intn(60)-20))
				tx.ExecContext(ctx, `INSERT INTO followups (customer_id, promise, text, due, created_at) VALUES (?, ?, ?, ?, ?)`, c.ID, i%2, "send the quote", due.String(), now.Unix())
			}
			if i%20 == 0 {
				tx.ExecContext(ctx, `INSERT INTO planned_visits (customer_id, at, minutes, purpose) VALUES (?, ?, 45, 'demo')`, c.ID, now.Add(time.Duration(r.Intn(30*24))*time.Hour).Unix())
			}
			saveFamilyMember(ctx, tx, &FamilyMember{CustomerID: c.ID, Relation: RelChild, Name: "Kid", Birthday: Date{Year: 2010, Month: time.Month(1 + r.Intn(12)), Day: 1 + r.Intn(28)}})
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	for start := 0; start < interactions; start += batch * 4 {
		tx, err := s.begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for i := start; i < start+batch*4 && i < interactions; i++ {
			in := &Interaction{CustomerID: ids[r.Intn(len(ids))], Kind: InteractionKinds[r.Intn(4)],
				At: now.Add(-time.Duration(r.Intn(3*365*24)) * time.Hour), Summary: benchSentence(r, z, 8), Notes: benchSentence(r, z, 25)}
			if i%3 == 0 {
				in.Temperature = 1 + r.Intn(5)
			}
			if err := s.logInteraction(ctx, tx, in); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	os.WriteFile(path+".done", nil, 0o600)
	return s, path
}

// benchSizes are the stores the read benchmarks run on: 10k customers with
// 100k interactions, and 100k with 1M.
var benchSizes = []struct{ customers, interactions int }{{10_000, 100_000}, {100_000, 1_000_000}}

// typedQueries are the prefixes a person types on the way to a name, a
// topic and a phone number, and one that finds nothing.
var typedQueries = []string{"m", "ma", "mar", "mari", "maria", "maria k", "maria kow", "c", "co", "col", "cold", "cold r", "cold room", "7946", "xyzzy"}

// BenchmarkSearchAsYouType measures one keystroke's query: each iteration
// runs the prefixes a person types on the way to a name and a topic.
func BenchmarkSearchAsYouType(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("customers=%d/interactions=%d", size.customers, size.interactions), func(b *testing.B) {
			s, _ := benchStore(b, size.customers, size.interactions)
			defer s.Close()
			ctx := context.Background()
			queries := typedQueries
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				q := queries[i%len(queries)]
				if _, err := s.Search(ctx, q, 200); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSearchOneLetter is a keystroke's query when only one letter is
// typed yet: up to searchCap matches to sort by name for one page.
func BenchmarkSearchOneLetter(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("customers=%d/interactions=%d", size.customers, size.interactions), func(b *testing.B) {
			s, _ := benchStore(b, size.customers, size.interactions)
			defer s.Close()
			ctx := context.Background()
			queries := []string{"m", "c", "a", "s", "k"}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.Search(ctx, queries[i%len(queries)], 200); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpenCustomer loads what the customer screen shows: the card, the
// profile, the first page of history and the notes, for a customer with
// 1,000 interactions.
func BenchmarkOpenCustomer(b *testing.B) {
	s, _ := benchStore(b, 100_000, 1_000_000)
	defer s.Close()
	ctx := context.Background()
	var id int64
	if err := s.read.QueryRow(`SELECT id FROM customers LIMIT 1 OFFSET 500`).Scan(&id); err != nil {
		b.Fatal(err)
	}
	if n, _ := s.CountInteractions(ctx, id); n < 1000 {
		tx, _ := s.begin(ctx)
		for i := n; i < 1000; i++ {
			s.logInteraction(ctx, tx, &Interaction{CustomerID: id, Kind: KindCall, At: time.Now().Add(-time.Duration(i) * time.Hour), Summary: "follow-up call about the chiller"})
		}
		tx.Commit()
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Customer(ctx, id); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Profile(ctx, id); err != nil {
			b.Fatal(err)
		}
		h, err := s.Interactions(ctx, id, 0, 100)
		if err != nil || len(h) != 100 {
			b.Fatal(len(h), err)
		}
		if _, err := s.CountInteractions(ctx, id); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Notes(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdStart opens the 100k-customer store and reads the first page
// of the customer list, as the window does on start.
func BenchmarkColdStart(b *testing.B) {
	s, path := benchStore(b, 100_000, 1_000_000)
	s.Close()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.CountCustomers(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := s.ListCustomers(ctx, 0, 200); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkListPage reads one page deep in the 100k list (scrolling).
func BenchmarkListPage(b *testing.B) {
	s, _ := benchStore(b, 100_000, 1_000_000)
	defer s.Close()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.ListCustomers(ctx, (i*7919)%99_800, 200); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBriefing builds the briefing of a customer with 5,000
// interactions and 200 concerns, in the 100k-customer store.
func BenchmarkBriefing(b *testing.B) {
	s, _ := benchStore(b, 100_000, 1_000_000)
	defer s.Close()
	ctx := context.Background()
	var id int64
	if err := s.read.QueryRow(`SELECT id FROM customers LIMIT 1 OFFSET 700`).Scan(&id); err != nil {
		b.Fatal(err)
	}
	if n, _ := s.CountInteractions(ctx, id); n < 5000 {
		tx, _ := s.begin(ctx)
		for i := n; i < 5000; i++ {
			s.logInteraction(ctx, tx, &Interaction{CustomerID: id, Kind: KindVisit, At: time.Now().Add(-time.Duration(i) * time.Hour),
				Summary: "checked the cold room", Temperature: 1 + i%5})
		}
		for i := 0; i < 200; i++ {
			tx.ExecContext(ctx, `INSERT INTO concerns (customer_id, text, rank, confirmed_at, created_at) VALUES (?, ?, ?, ?, ?)`,
				id, fmt.Sprintf("concern %d", i), i+1, time.Now().AddDate(0, 0, -i).Unix(), time.Now().Unix())
		}
		tx.Commit()
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		br, err := s.Briefing(ctx, id, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		if br.Interactions < 5000 || len(br.Concerns) < 200 {
			b.Fatalf("briefing has %d interactions, %d concerns", br.Interactions, len(br.Concerns))
		}
	}
}

// BenchmarkToday builds the Today view over 100k customers (a third with a
// cadence, 20k follow-ups, 5k planned visits, birthdays for everyone and a
// child each).
func BenchmarkToday(b *testing.B) {
	s, _ := benchStore(b, 100_000, 1_000_000)
	defer s.Close()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := s.Today(ctx, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		if len(t.Dates) == 0 || len(t.ContactDue) == 0 {
			b.Fatalf("today is empty: %d dates, %d due", len(t.Dates), len(t.ContactDue))
		}
	}
}
