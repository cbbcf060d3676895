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
	*) echo "screenshots: unknown database $db" >&2; exit 2 ;;
	esac
	# A fresh Fyne configuration per shot, whose remembered window size is
	# the screen's: the window opens at the size last left (1000×640 the
	# first time), and these shots are of the page as that screen shows it.
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

# The printable briefing, first page, as `rapport brief --pdf` writes it
# (pdftoppm is in poppler-utils, which .ci/deps.sh installs).
LC_TIME=en_GB.UTF-8 ./rapport brief --db "$tmp/sample.db" --pdf "$tmp/brief.pdf" "Klaus Müller" >/dev/null
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$tmp/brief.pdf" "$out/briefing-pdf"
echo "saved $out/briefing-pdf.png"
