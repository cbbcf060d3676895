// Package vcard reads and writes contact cards (vCard 2.1, 3.0 and 4.0)
// as Rapport customers and profiles.
//
// Reading is our own streaming parser rather than go-vcard's, because the
// files phones and mail clients write need what go-vcard does not do (see
// shared/notes/go-vcard-limits.md): 2.1 bare parameters, quoted-printable
// with soft line breaks, legacy charsets and raw 8-bit text, UTF-16, base64
// with stray whitespace, nested AGENT cards, broken lines, a missing BEGIN
// or END. The decoder holds one card at a time; a line longer than
// 24 MiB or a photo over 16 MiB spoils only its card (*CardError).
//
// Mapping:
//   - FN, N, NICKNAME (a list, joined with ", "), ORG (company;department,
//     further units joined with "; "), TITLE, NOTE (CardNote),
//     CATEGORIES (Tags), UID, BDAY, ANNIVERSARY (also X-ANNIVERSARY,
//     X-EVOLUTION-ANNIVERSARY, X-MS-ANNIVERSARY and Apple's labelled
//     X-ABDATE), TEL, EMAIL, URL and X-SOCIALPROFILE (URLs), ADR (its
//     LABEL= kept in Extra as X-RAPPORT-ADR-LABEL and put back on export),
//     PHOTO (type sniffed from the bytes: JPEG, PNG, GIF, WebP, BMP, TIFF,
//     HEIF, AVIF, ICO, JPEG 2000).
//   - Other clients' groups (item1.TEL + item1.X-ABLabel, X-ABADR, and
//     every X-SOCIALPROFILE): the phone, e-mail, link or address keeps
//     its lines in Labelled.Card / Address.Card whenever Rapport's own
//     rendering would differ, and the export writes them back as they
//     came (an edited value or label goes into the same group); deleting
//     the entry drops its group. X-ABRELATEDNAMES groups the export would
//     not write the same way are kept in Extra beside Profile.Family.
//     See groups.go.
//   - Alternative representations (RFC 6350 §6.2.2, N;ALTID=1 twice): the
//     first is mapped, its line kept in Extra as X-RAPPORT-OWN-N (for its
//     parameters), the others as they came; export writes the group
//     together for FN, N, ORG and TITLE, in 3.0 with the others as
//     X-RAPPORT-ALT-N (3.0 allows one N), which import reads back.
//   - A birthday in words (BDAY;VALUE=text:circa 1800, or letters in a
//     BDAY) is data.Date.Text, written back as BDAY;VALUE=text in 3.0 and
//     4.0; a broken date (19723101) is kept in Extra and reported.
//   - Lines a card loses (no colon) and repairs (a missing BEGIN or END,
//     unindented base64) are listed in Record.Damage with their line.
//   - A date without a year is written --MM-DD in 3.0 (Android, Google),
//     --MMDD in 4.0, Apple's 1604 + X-APPLE-OMIT-YEAR only with
//     Options.ForApple; all three are read.
//   - Relatives: RELATED (text values), X-ABRELATEDNAMES with its label,
//     X-SPOUSE / X-EVOLUTION-SPOUSE / X-MS-SPOUSE, X-CHILDREN go to
//     Profile.Family. When a card has X-RAPPORT-FAMILY those are copies we
//     wrote ourselves and are ignored, so re-import never duplicates anyone.
//   - FormattedName is left empty when FN is what Rapport would derive
//     anyway (Customer.Name), so an export/import trip does not change it.
//     A card with no name gets the nickname or first phone as its name; a
//     card with no name, organisation, e-mail or phone is a *CardError.
//   - Everything else (X-ANDROID-CUSTOM, X-MS-*, GEO, TZ, KEY, LABEL, IMPP,
//     ROLE, ...) is kept in Customer.Extra as one UTF-8 content line without
//     QP, CHARSET or bare parameters, and written back on export. VERSION,
//     PRODID, REV and PROFILE are regenerated.
//
// Rapport's own profile travels as:
//
//	X-RAPPORT-PROFILE;X-CATEGORY=hobby:Sailing
//	X-RAPPORT-FAMILY;X-RELATION=child;X-BDAY=2012-05-01:Emma\nnotes
//	X-RAPPORT-PET;X-SPECIES=dog:Rex\nnotes
//
// with X-CONFIDENTIAL=TRUE on confidential entries (written only with
// Options.Confidential). Values are the name, then the notes after an escaped newline (files of
// before sync have "name;notes", still read); text is escaped and
// parameters use RFC 6868, so any text survives.
//
// Writing is deterministic (no REV, fixed order, fixed PRODID): export,
// import, export gives identical bytes. Lines end in CRLF and are folded at
// 75 octets, never inside a UTF-8 sequence.
//
// See labels.go for the label conventions.
package vcard
