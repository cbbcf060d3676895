#!/usr/bin/env bash
# Install the Debian/Ubuntu packages Rapport needs to build and test, but only
# those that are missing. Quiet and quick when everything is present.
#   gcc, pkg-config, libgl1-mesa-dev, libx*-dev: cgo build of Fyne (GLFW)
#   python3-vobject: an independent vCard parser the tests check exports with
#   poppler-utils: pdftotext, an independent reader of the briefing PDF
#   radicale, xandikos: real CardDAV servers the sync tests start on loopback
#   gnome-keyring, dbus-daemon: a real Secret Service that data/sync/secret's
#     test runs in a D-Bus session of its own (dbus-run-session); with
#     --no-install-recommends it pulls in GTK 3 and gcr, about 50 MB installed
#   xvfb, xdotool: TestWindowPlaceUnderXvfb opens the real window on a private
#     X server, moves it and checks where it opens next time
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

pkgs=(gcc pkg-config libgl1-mesa-dev
	libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
	python3-vobject poppler-utils radicale xandikos gnome-keyring dbus-daemon xvfb xdotool)

missing=()
for p in "${pkgs[@]}"; do
	# dpkg -s succeeds for removed-but-configured packages too; check the status word.
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
	echo "deps: missing ${missing[*]}, and this is not a Debian/Ubuntu system: install them by hand" >&2
	exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null; then
		sudo=(sudo env DEBIAN_FRONTEND=noninteractive)
	else
		echo "deps: missing ${missing[*]}; run as root or install sudo" >&2
		exit 1
	fi
fi
echo "deps: installing ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
