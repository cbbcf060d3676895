package data

import (
	"context"
	"database/sql"
	"fmt"
)

// ExportFilter chooses the customers to export: the IDs given, else everyone
// at Company, else those a search finds (without the search-as-you-type
// caps), else everyone.
type ExportFilter struct {
	IDs     []int64
	Company string
	Query   string
}

// EachCustomer calls fn with the card and profile of every chosen customer,
// in a stable order (name, then UID) so that the same customers export to
// the same bytes whatever their IDs.
func (s *Store) EachCustomer(ctx context.Context, f ExportFilter, fn func(*Customer, *Profile) error) error {
	ids := f.IDs
	if len(ids) == 0 {
		var err error
		if ids, err = s.exportIDs(ctx, f.Company, f.Query); err != nil {
			return err
		}
	}
	// One read transaction: a consistent snapshot, and each statement
	// prepared once rather than once per customer.
	rtx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return mapError(err)
	}
	defer rtx.Rollback()
	tx := &Tx{Tx: rtx}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return err
		}
		c, err := getCustomer(ctx, tx, id)
		if err != nil {
			return err
		}
		p, err := getProfile(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := fn(c, p); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) exportIDs(ctx context.Context, company, query string) ([]int64, error) {
	if err := checkQuery(query); err != nil {
		return nil, err
	}
	sqlText := `SELECT id FROM customers ORDER BY sort_name, uid`
	var args []any
	if company != "" {
		sqlText = `SELECT id FROM customers WHERE company_id = (SELECT id FROM companies WHERE name = ?) ORDER BY sort_name, uid`
		args = append(args, company)
	} else if q := ftsQuery(query); q != "" {
		sqlText = `SELECT id FROM customers WHERE id IN (
			SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?1
			UNION SELECT customer_id FROM interactions WHERE id IN (SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH ?1)
			UNION SELECT customer_id FROM notes WHERE id IN (SELECT rowid FROM note_fts WHERE note_fts MATCH ?1))
			ORDER BY sort_name, uid`
		args = append(args, q)
	}
	ids, err := queryIDs(ctx, s.read, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("choose customers to export: %w", mapError(err))
	}
	return ids, nil
}
