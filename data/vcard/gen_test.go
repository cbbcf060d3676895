package vcard

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime/quotedprintable"
)

// tinyJPEG is a minimal JPEG-looking payload for generated cards.
var tinyJPEG = append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte("jpegdata"), 200)...)

// writeCards writes n realistic cards: Apple-style 3.0 with groups and a
// photo now and then, Android-style 2.1 with QP, and 4.0.
func writeCards(w io.Writer, n int) error {
	photo := base64.StdEncoding.EncodeToString(tinyJPEG)
	for i := 0; i < n; i++ {
		var err error
		switch i % 4 {
		case 0, 1:
			ph := ""
			if i%20 == 0 {
				ph = "PHOTO;ENCODING=b;TYPE=JPEG:" + fold(photo)
			}
			_, err = fmt.Fprintf(w, "BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nPRODID:-//Apple Inc.//iOS 17.0//EN\r\r\nN:Müller %d;Jürgen;;;\r\r\nFN:Jürgen Müller %d\r\r\n"+
				"ORG:Example GmbH;Sales\r\r\nTITLE:Account Manager\r\r\nitem1.EMAIL;type=INTERNET;type=pref:j%d@example.de\r\r\nitem1.X-ABLabel:_$!<Other>!$_\r\r\n"+
				"TEL;type=CELL;type=VOICE;type=pref:+49 170 %07d\r\r\nitem2.TEL:+49 30 %07d\r\r\nitem2.X-ABLabel:Büro Berlin\r\r\n"+
				"ADR;type=WORK:;;Hauptstraße %d;Berlin;;10115;Germany\r\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-%02d-%02d\r\r\n"+
				"NOTE:Met at the trade fair\\, interested in product %d.\\nCall back in spring.\r\r\nCATEGORIES:customer,berlin\r\r\n%sEND:VCARD\r\r\n",
				i, i, i, i, i, i, i%12+1, i%28+1, i, ph)
		case 2:
			var qp bytes.Buffer
			q := quotedprintable.NewWriter(&qp)
			fmt.Fprintf(q, "Ñandú Ökonomie-Überprüfung %d — a long note that will need a soft line break somewhere in the middle of it", i)
			q.Close()
			_, err = fmt.Fprintf(w, "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91and=C3=BA %d;Jos=C3=A9;;;\r\n"+
				"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9 =C3=91and=C3=BA %d\r\nTEL;CELL;PREF:+34 600 %06d\r\nTEL;WORK;VOICE:+34 91 %07d\r\n"+
				"EMAIL;HOME:jose%d@example.es\r\nNOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:%s\r\nX-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Pepe;1;;;;;;;;;;;;;\r\nEND:VCARD\r\n",
				i, i, i%1000000, i, i, bytes.ReplaceAll(qp.Bytes(), []byte("\n"), []byte("\r\n")))
		default:
			_, err = fmt.Fprintf(w, "BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:%08d-0000-4000-8000-000000000000\nFN:Anna Svensson %d\nN:Svensson %d;Anna;;;\n"+
				"EMAIL;TYPE=work;PREF=1:anna%d@example.se\nTEL;TYPE=\"cell,voice\";VALUE=uri:tel:+46-70-%07d\nBDAY:--%02d%02d\nANNIVERSARY:2010%02d%02d\n"+
				"RELATED;TYPE=spouse;VALUE=text:Erik\nURL;TYPE=home:https://example.se/%d\nX-SOCIALPROFILE;TYPE=linkedin:https://linkedin.com/in/anna%d\nEND:VCARD\n",
				i, i, i, i, i, i%12+1, i%28+1, i%12+1, i%28+1, i, i)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// fold folds a long value 2.1/3.0 style for generated input.
func fold(s string) string {
	var b bytes.Buffer
	for len(s) > 72 {
		b.WriteString(s[:72])
		b.WriteString("\r\n ")
		s = s[72:]
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	return b.String()
}
