#!/usr/bin/env bash
# The project's entry points: `./dev.sh run` serves the app with demo data, `./dev.sh test`
# runs every test, `./dev.sh bench` measures page weight and speed, `./dev.sh bench flood` how
# honest clients fare while one address floods the server, and `./dev.sh bench bounds` how fast
# oversized requests are refused, `./dev.sh bench intake` how many reports are stored durably per
# second (see BENCHMARKS.md). Each first installs
# what it needs and skips what is already there.
set -euo pipefail
cd "$(dirname "$0")"

CARGO_LEPTOS_VERSION=0.3.10
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
# Playwright drives Debian's Chromium; it must never download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# cargo-leptos builds with these; setting them for every cargo call lets tests and the site
# share one build of the dependencies instead of invalidating each other.
export RUSTFLAGS="--cfg erase_components"
export LEPTOS_OUTPUT_NAME=hientruong
# A one-off CI build gains nothing from incremental caches, which would double the build directory.
if [[ "${CI:-}" == "true" ]]; then export CARGO_INCREMENTAL=0; fi

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown \
    || { say "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }
}

ensure_cargo_leptos() {
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes, once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
}

ensure_wasm_bindgen() {
  # The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
  local wanted
  wanted=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wanted\$"; then
    say "installing wasm-bindgen-cli $wanted (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$wanted"
  fi
}

ensure_npm_packages() {
  local stamp=node_modules/.installed-from-lock
  if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    say "installing npm packages (Leaflet, binaryen, Playwright)"
    npm ci --no-audit --no-fund
    cp package-lock.json "$stamp"
  fi
  # Leaflet's script, style and images are served from the site itself, never from a CDN.
  mkdir -p public/vendor/leaflet
  cp -ru node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
    node_modules/leaflet/dist/images public/vendor/leaflet/
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  fi
}

build_release() {
  ensure_wasm_target; ensure_cargo_leptos; ensure_wasm_bindgen; ensure_npm_packages
  say "building the app (release, split into page groups, assets precompressed with brotli and gzip)"
  cargo leptos build --release --precompress --split
}

run_app() {
  build_release
  say "serving on http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000} with demo data '${HIENTRUONG_DEMO:-pilot}'"
  HIENTRUONG_DEMO="${HIENTRUONG_DEMO:-pilot}" LEPTOS_SITE_ROOT=target/site exec target/release/hientruong
}

run_tests() {
  ensure_wasm_target; ensure_cargo_leptos; ensure_wasm_bindgen; ensure_npm_packages; ensure_chromium
  say "clippy (server side and browser side)"
  cargo clippy --workspace --all-targets --locked -- -D warnings
  cargo clippy -p app --features hydrate --target wasm32-unknown-unknown --locked -- -D warnings
  say "unit, conformance and API tests"
  cargo test --workspace --locked
  say "building the site for the browser tests (split into page groups, as released)"
  cargo leptos build --split
  say "end-to-end tests in Chromium"
  npx playwright test -c end2end/playwright.config.ts
}

run_bench() {
  case "${1:-}" in
    "")
      build_release; ensure_chromium
      say "page weight, time to interactive, throughput and Lighthouse on http://127.0.0.1:${BENCH_PORT:-3340}"
      node end2end/bench/pages.mjs ;;
    flood)
      build_release
      say "8 honest clients, alone and beside one flooding address, on http://127.0.0.1:${BENCH_PORT:-3341}"
      node end2end/bench/flood.mjs ;;
    bounds)
      build_release
      say "refusals of oversized and unbounded requests on http://127.0.0.1:${BOUNDS_PORT:-3342}"
      node end2end/bench/bounds.mjs ;;
    intake)
      say "durable intake: acknowledged reports/s at 1, 8, 32 and 128 clients beside raw commits, SQLite and PostgreSQL"
      HIENTRUONG_RATE_LIMITS=off cargo bench -p hientruong --bench intake --locked ;;
    *) usage ;;
  esac
}

usage() {
  echo "usage: ./dev.sh run | ./dev.sh test | ./dev.sh bench [flood | bounds | intake]" >&2
  exit 2
}

case "${1:-}" in
  run) run_app ;;
  test) run_tests ;;
  bench) run_bench "${2:-}" ;;
  *) usage ;;
esac
