#!/usr/bin/env python3
"""What the app's wasm modules are made of, by crate (issue 13's breakdown).

    scripts/wasm-size.py [MODULE.wasm ...]

Takes the modules Trunk's release build left in target/wasm32-unknown-unknown/release/, runs
wasm-bindgen on them as Trunk does (but no wasm-opt, which drops the function names and takes
off a few percent more), reads them with `twiggy top --format csv` (`cargo install twiggy --locked` if
it is missing), leaves out the name sections (which the shipped files do not carry), and sums
code and data by the crate each item comes from.
"""
import csv, io, os, re, shutil, subprocess, sys, tempfile
from collections import Counter

DEFAULT = ["certwright-app", "certwright-pages"]
DIR = "target/wasm32-unknown-unknown/release"


PRIMITIVES = {"str", "char", "bool", "isize", "usize", "u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128", "f32", "f64"}


def crate_of(name):
    if name.startswith(("__wbg", "__wbindgen", "__externref", "intounderlying")) or "wasm_bindgen" in name.split("::")[0]:
        return "wasm-bindgen glue"
    generic = re.match(r"^<([A-Z]\w?) as ([\w:]+)", name)
    if generic:
        name = generic.group(2)
    if name.startswith("data segment"):
        return "(data: constants, strings, tables)"
    if re.fullmatch(r"(code|data|global|table|elem|type)\[\d+\]", name) or name.startswith(("import ", "export ", "type[", "wasm magic")):
        return "(unnamed, imports, exports)"
    n = name.lstrip("<&* ")
    n = re.sub(r"^(mut |dyn |const |impl )+", "", n)
    n = n.lstrip("<&* (")
    head = re.split(r"::|<| |\[|\(", n, maxsplit=1)[0]
    head = head.rstrip(">,")
    if head in ("core", "alloc", "std", "compiler_builtins", "dlmalloc", "__rustc") or head in PRIMITIVES:
        return "Rust std (core, alloc, std)"
    return head or "(other)"


def breakdown(path):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["wasm-bindgen", "--target", "no-modules", "--no-typescript", "--out-dir", tmp, path], check=True)
        bound = os.path.join(tmp, os.path.basename(path)[: -len(".wasm")] + "_bg.wasm")
        out = subprocess.run(["twiggy", "top", "-n", "1000000", "--format", "csv", bound], check=True, capture_output=True, text=True).stdout
    sizes = Counter()
    for row in csv.DictReader(io.StringIO(out)):
        name = row["Name"]
        if name.startswith(('"function names"', "custom section", "Σ", "... and", '"local names"')) or "subsection" in name:
            continue
        sizes[crate_of(name)] += int(row["ShallowSize"])
    return sizes


def main():
    if not shutil.which("twiggy"):
        sys.exit("wasm-size: twiggy is not installed (cargo install twiggy --locked)")
    paths = sys.argv[1:] or [f"{DIR}/{m}.wasm" for m in DEFAULT]
    for path in paths:
        sizes = breakdown(path)
        total = sum(sizes.values())
        print(f"\n{path}: {total / 1024:.0f} KB of code and data (after wasm-bindgen, before wasm-opt)")
        print(f"{'crate':<40}{'KB':>8}{'%':>7}")
        top = sizes.most_common(14)
        for crate, size in top:
            print(f"{crate:<40}{size / 1024:>8.0f}{100 * size / total:>6.1f}%")
        rest = total - sum(s for _, s in top)
        print(f"{'(the other ' + str(len(sizes) - len(top)) + ' crates)':<40}{rest / 1024:>8.0f}{100 * rest / total:>6.1f}%")


main()
