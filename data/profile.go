package data

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Profile loads everything personal known about a customer.
func (s *Store) Profile(ctx context.Context, customerID int64) (*Profile, error) {
	return getProfile(ctx, s.read, customerID)
}

func getProfile(ctx context.Context, q queryer, customerID int64) (*Profile, error) {
	p := &Profile{}
	rows, err := q.QueryContext(ctx, `SELECT id, category, text, confidential, created_at FROM profile_items
		WHERE customer_id = ? ORDER BY id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("load profile of customer %d: %w", customerID, mapError(err))
	}
	for rows.Next() {
		it := ProfileItem{CustomerID: customerID}
		var created int64
		if err := rows.Scan(&it.ID, &it.Category, &it.Text, &it.Confidential, &created); err != nil {
			rows.Close()
			return nil, err
		}
		it.CreatedAt = time.Unix(created, 0)
		p.Items = append(p.Items, it)
	}
	rows.Close()

	rows, err = q.QueryContext(ctx, `SELECT id, relation, name, birthday, notes, confidential FROM family_members
		WHERE customer_id = ? ORDER BY id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("load family of customer %d: %w", customerID, mapError(err))
	}
	for rows.Next() {
		f := FamilyMember{CustomerID: customerID}
		var bday string
		if err := rows.Scan(&f.ID, &f.Relation, &f.Name, &bday, &f.Notes, &f.Confidential); err != nil {
			rows.Close()
			return nil, err
		}
		f.Birthday, _ = ParseDate(bday)
		p.Family = append(p.Family, f)
	}
	rows.Close()

	rows, err = q.QueryContext(ctx, `SELECT id, name, species, notes, confidential FROM pets WHERE customer_id = ? ORDER BY id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("load pets of customer %d: %w", customerID, mapError(err))
	}
	defer rows.Close()
	for rows.Next() {
		pet := Pet{CustomerID: customerID}
		if err := rows.Scan(&pet.ID, &pet.Name, &pet.Species, &pet.Notes, &pet.Confidential); err != nil {
			return nil, err
		}
		p.Pets = append(p.Pets, pet)
	}
	return p, rows.Err()
}

func (it *ProfileItem) validate() error {
	it.Text = strings.TrimSpace(it.Text)
	if it.Text == "" {
		return errorf(ErrInvalid, "a profile item needs some text")
	}
	if it.Category == "" {
		it.Category = CatOther
	}
	for _, c := range ProfileCategories {
		if c.Key == it.Category {
			return nil
		}
	}
	return errorf(ErrInvalid, "profile category %q is unknown", it.Category)
}

func (f *FamilyMember) validate() error {
	f.Name = strings.TrimSpace(f.Name)
	if f.Name == "" {
		return errorf(ErrInvalid, "a family member needs a name")
	}
	if f.Relation == "" {
		f.Relation = RelOther
	}
	known := false
	for _, r := range Relations {
		known = known || r == f.Relation
	}
	if !known {
		return errorf(ErrInvalid, "relation %q is not one of %s", f.Relation, strings.Join(Relations, ", "))
	}
	if err := f.Birthday.Validate(); err != nil {
		return errorf(ErrInvalid, "birthday of %s: %v", f.Name, err)
	}
	return nil
}

func (p *Pet) validate() error {
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		return errorf(ErrInvalid, "a pet needs a name")
	}
	return nil
}

// SaveProfileItem adds the item (ID zero) or updates it.
func (s *Store) SaveProfileItem(ctx context.Context, it *ProfileItem) error {
	if err := it.validate(); err != nil {
		return err
	}
	return s.inCustomerTx(ctx, it.CustomerID, func(tx *Tx) error {
		return saveProfileItem(ctx, tx, it)
	})
}

func saveProfileItem(ctx context.Context, tx *Tx, it *ProfileItem) error {
	if it.ID == 0 {
		if it.CreatedAt.IsZero() {
			it.CreatedAt = time.Now()
		}
		return insertRow(ctx, tx, &it.ID, `INSERT INTO profile_items (customer_id, category, text, confidential, created_at) VALUES (?, ?, ?, ?, ?)`,
			it.CustomerID, it.Category, it.Text, it.Confidential, it.CreatedAt.Unix())
	}
	return updateRow(ctx, tx, "profile item", it.ID, `UPDATE profile_items SET category = ?, text = ?, confidential = ? WHERE id = ? AND customer_id = ?`,
		it.Category, it.Text, it.Confidential, it.ID, it.CustomerID)
}

// SaveFamilyMember adds the family member (ID zero) or updates them.
func (s *Store) SaveFamilyMember(ctx context.Context, f *FamilyMember) error {
	if err := f.validate(); err != nil {
		return err
	}
	return s.inCustomerTx(ctx, f.CustomerID, func(tx *Tx) error {
		return saveFamilyMember(ctx, tx, f)
	})
}

func saveFamilyMember(ctx context.Context, tx *Tx, f *FamilyMember) error {
	if f.ID == 0 {
		return insertRow(ctx, tx, &f.ID, `INSERT INTO family_members (customer_id, relation, name, birthday, notes, confidential) VALUES (?, ?, ?, ?, ?, ?)`,
			f.CustomerID, f.Relation, f.Name, f.Birthday.String(), f.Notes, f.Confidential)
	}
	return updateRow(ctx, tx, "family member", f.ID, `UPDATE family_members SET relation = ?, name = ?, birthday = ?, notes = ?, confidential = ? WHERE id = ? AND customer_id = ?`,
		f.Relation, f.Name, f.Birthday.String(), f.Notes, f.Confidential, f.ID, f.CustomerID)
}

// SavePet adds the pet (ID zero) or updates it.
func (s *Store) SavePet(ctx context.Context, p *Pet) error {
	if err := p.validate(); err != nil {
		return err
	}
	return s.inCustomerTx(ctx, p.CustomerID, func(tx *Tx) error {
		return savePet(ctx, tx, p)
	})
}

func savePet(ctx context.Context, tx *Tx, p *Pet) error {
	if p.ID == 0 {
		return insertRow(ctx, tx, &p.ID, `INSERT INTO pets (customer_id, name, species, notes, confidential) VALUES (?, ?, ?, ?, ?)`,
			p.CustomerID, p.Name, p.Species, p.Notes, p.Confidential)
	}
	return updateRow(ctx, tx, "pet", p.ID, `UPDATE pets SET name = ?, species = ?, notes = ?, confidential = ? WHERE id = ? AND customer_id = ?`,
		p.Name, p.Species, p.Notes, p.Confidential, p.ID, p.CustomerID)
}

// Profile parts that DeleteProfilePart removes.
const (
	PartItem   = "profile_items"
	PartFamily = "family_members"
	PartPet    = "pets"
)

// DeleteProfilePart removes one profile item, family member or pet.
func (s *Store) DeleteProfilePart(ctx context.Context, part string, customerID, id int64) error {
	switch part {
	case PartItem, PartFamily, PartPet:
	default:
		return errorf(ErrInvalid, "unknown profile part %q", part)
	}
	return s.inCustomerTx(ctx, customerID, func(tx *Tx) error {
		return updateRow(ctx, tx, "profile entry", id, `DELETE FROM `+part+` WHERE id = ? AND customer_id = ?`, id, customerID)
	})
}

// addProfile adds every part of p for a customer (used when loading data);
// the caller reindexes the customer.
func addProfile(ctx context.Context, tx *Tx, customerID int64, p *Profile) error {
	for i := range p.Items {
		it := &p.Items[i]
		it.CustomerID, it.ID = customerID, 0
		if err := it.validate(); err != nil {
			return err
		}
		if err := saveProfileItem(ctx, tx, it); err != nil {
			return err
		}
	}
	for i := range p.Family {
		f := &p.Family[i]
		f.CustomerID, f.ID = customerID, 0
		if err := f.validate(); err != nil {
			return err
		}
		if err := saveFamilyMember(ctx, tx, f); err != nil {
			return err
		}
	}
	for i := range p.Pets {
		pet := &p.Pets[i]
		pet.CustomerID, pet.ID = customerID, 0
		if err := pet.validate(); err != nil {
			return err
		}
		if err := savePet(ctx, tx, pet); err != nil {
			return err
		}
	}
	return nil
}

// inCustomerTx runs fn in a transaction, then refreshes the customer's search
// document, which holds the profile too.
func (s *Store) inCustomerTx(ctx context.Context, customerID int64, fn func(*Tx) error) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := reindexCard(ctx, tx, customerID); err != nil {
		return err
	}
	return commit(tx)
}

func insertRow(ctx context.Context, tx *Tx, id *int64, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		if strings.Contains(err.Error(), "FOREIGN KEY") {
			return fmt.Errorf("customer: %w", ErrNotFound)
		}
		return mapError(err)
	}
	*id, err = res.LastInsertId()
	return err
}

func updateRow(ctx context.Context, tx *Tx, what string, id int64, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s %d: %w", what, id, mapError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s %d: %w", what, id, ErrNotFound)
	}
	return nil
}
