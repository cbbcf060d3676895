#!/usr/bin/env bash
# Take the screenshots in docs/screenshots/ from ./rapport under Xvfb.
#   .ci/screenshots.sh [PATH-TO-SCREENSHOT-TOOL]      (make screenshots runs it)
# To add one, add a `shot` line at the bottom.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${1:-../shared/tools/screenshot}
if [ ! -x "$tool" ]; then
	echo "screenshots: the screenshot tool $tool is missing (it drives Xvfb, ImageMagick and xdotool)" >&2
	exit 1
fi
[ -x ./rapport ] || { echo "screenshots: build ./rapport first (make build)" >&2; exit 1; }
export LANG=${LANG:-C.UTF-8}
unset LC_ALL # LC_TIME below decides how the app writes dates

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./rapport sample --db "$tmp/sample.db" >/dev/null
out=docs/screenshots
mkdir -p "$out"

# shot FILE.png DB [KEYS [SIZE]]: DB is "sample" (the sample customers) or "empty" (a
# new database); KEYS are xdotool key names sent before the shot ("ctrl+n");
# SIZE is the screen's (1280x800 unless given).
# Every shot gets a fresh copy of its database so that keystrokes in one
# cannot change the next.
n=0
shot() {
	local file=$1 db=$2 keys=${3:-} size=${4:-1280x800}
	n=$((n + 1))
	local dir="$tmp/$n"
	mkdir -p "$dir"
	case $db in
	sample) for f in "$tmp"/sample.db*; do cp "$f" "$dir/db${f#"$tmp"/sample.db}"; done ;; # with any -wal
	empty) ;;
	/*) for f in "$db"*; do cp "$f" "$dir/db${f#"$db"}"; done ;; # a database made below
	*) echo "screenshots: unknown database $db" >&2; exit 2 ;;
	esac
	# A fresh Fyne configuration per shot, whose remembered window size is
	# the screen's: the window opens at the size last left (nine tenths of
	# the screen the first time), and these shots are of the page as that
	# screen shows it (window.width/height, which Rapport still reads).
	local prefs="$dir/config/fyne/com.rapportcrm.rapport"
	mkdir -p "$prefs"
	printf '{"window.width":%s,"window.height":%s}\n' "${size%x*}" "${size#*x}" >"$prefs/preferences.json"
	# Dates as written where the sample customers live, whatever the
	# machine's locale: the app follows LC_TIME for their order and clock.
	XDG_CONFIG_HOME="$dir/config" KEYS=$keys LC_TIME=en_GB.UTF-8 \
		"$tool" "$out/$file" --wait "${WAIT:-2}" --size "$size" -- ./rapport --db "$dir/db"
}

shot today.png sample                 # the Today view is the home screen
shot main.png sample "ctrl+f Return"  # Enter in the search box opens the first customer
shot briefing.png sample "ctrl+f K l a u s Return ctrl+b" # a briefing with a temperature drop
shot welcome.png empty
# shot search.png sample "ctrl+f"
# shot new-customer.png sample "ctrl+n"
shot export.png sample "ctrl+e"

# On the small laptop screens Rapport must fit: Today, a customer page, the editor.
for size in 1366x768 1024x700; do
	shot "today-$size.png" sample "" "$size"
	shot "customer-$size.png" sample "ctrl+f K l a u s Return" "$size" # family, pets, a dog
	shot "editor-$size.png" sample "ctrl+f Return ctrl+n" "$size"
done

# Sync: a Radicale on loopback and two laptops that both changed Klaus Müller's
# title and note (imports of his card, edited), so the window opens on two
# conflicts; then the server stops and three new customers wait. The conflicts
# dialog itself opens with a click on "2 conflicts", which this tool cannot
# send: docs/screenshots/sync-conflicts.png was taken by hand.
if command -v radicale >/dev/null; then
	sync=$tmp/sync
	mkdir -p "$sync"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	echo 'rep:s3cret;pass' >"$sync/users"
	printf '[server]\nhosts = 127.0.0.1:%s\n[auth]\ntype = htpasswd\nhtpasswd_filename = %s\nhtpasswd_encryption = plain\ndelay = 0\n[rights]\ntype = owner_only\n[storage]\nfilesystem_folder = %s\n[web]\ntype = none\n' \
		"$port" "$sync/users" "$sync/collections" >"$sync/config"
	radicale --config "$sync/config" >"$sync/radicale.log" 2>&1 &
	radicale=$!
	url=http://127.0.0.1:$port
	for _ in $(seq 100); do curl -s -o /dev/null "$url/" && break; sleep 0.1; done
	export RAPPORT_KEYRING=none RAPPORT_SYNC_PASSWORD='s3cret;pass'
	for f in "$tmp"/sample.db*; do cp "$f" "$sync/a${f#"$tmp"/sample}"; done
	./rapport sync --db "$sync/a.db" --setup "$url" rep >/dev/null
	./rapport sync --db "$sync/a.db" >/dev/null
	./rapport sync --db "$sync/b.db" --setup "$url" rep >/dev/null
	./rapport sync --db "$sync/b.db" >/dev/null
	./rapport export --db "$sync/a.db" -o "$sync/all.vcf" "Klaus Müller" >/dev/null 2>&1
	awk '{print} /^END:VCARD/{exit}' "$sync/all.vcf" >"$sync/klaus.vcf" # his card only
	edit() { sed -e "s/^TITLE:.*/TITLE:$2/" -e "s/^NOTE:.*/NOTE:$3/" "$sync/klaus.vcf" >"$sync/$1.vcf"; }
	edit a "Purchasing Director" "Prefers calls before 10\\; moving to Dresden"
	edit b "Head of Purchasing" "Prefers calls before 10\\; new office in Leipzig"
	./rapport import --db "$sync/b.db" "$sync/b.vcf" >/dev/null
	./rapport sync --db "$sync/b.db" >/dev/null
	./rapport import --db "$sync/a.db" "$sync/a.vcf" >/dev/null
	./rapport sync --db "$sync/a.db" >/dev/null || true # exit 1: two conflicts
	WAIT=6 shot sync-status.png "$sync/a.db" # after the sync at start
	kill "$radicale"
	wait "$radicale" 2>/dev/null || true
	printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:%s\r\nN:%s;%s;;;\r\nEND:VCARD\r\n' \
		"Nora Quinn" Quinn Nora "Oskar Lind" Lind Oskar "Paula Reyes" Reyes Paula >"$sync/new.vcf"
	./rapport import --db "$sync/a.db" "$sync/new.vcf" >/dev/null
	WAIT=6 shot sync-offline.png "$sync/a.db"
	unset RAPPORT_KEYRING RAPPORT_SYNC_PASSWORD
else
	echo "screenshots: radicale is not installed (.ci/deps.sh installs it): the sync shots are left as they are" >&2
fi

# The printable briefing, first page, as `rapport brief --pdf` writes it
# (pdftoppm is in poppler-utils, which .ci/deps.sh installs).
LC_TIME=en_GB.UTF-8 ./rapport brief --db "$tmp/sample.db" --pdf "$tmp/brief.pdf" "Klaus Müller" >/dev/null
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$tmp/brief.pdf" "$out/briefing-pdf"
echo "saved $out/briefing-pdf.png"
