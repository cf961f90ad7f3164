// The certificate table of the JS module's `parseCertificateTable` (src/js/summary.rs): the
// summaries of a bundle as columns (one string with every text field, typed arrays for the rest,
// made by `certwright_pki::SummaryColumns`), read field by field without building an object per
// certificate. `get(i)` builds the same `CertificateSummary` object `parseCertificateSummaries`
// gives, on demand.

const ROLES = ['root', 'intermediate', 'leaf'];
// Positions of the strings of a certificate (certwright_pki::COLUMN_STRINGS), then its warnings.
const SOURCE = 0;
const SUBJECT = 1;
const ISSUER = 2;
const SERIAL = 3;
const KEY_ALGORITHM = 4;
const CURVE = 5;
const SHA1 = 6;
const SHA256 = 7;
const STRINGS = 8;
// Flag bits (certwright_pki::column_flags).
const IS_CA = 1;
const SELF_SIGNED = 2;
const HAS_CURVE = 4;
const ROLE_SHIFT = 3;

export class CertificateTable {
  #text;
  #bounds;
  #first;
  #times;
  #keySizes;
  #flags;

  constructor(text, bounds, first, times, keySizes, flags) {
    this.#text = text;
    this.#bounds = bounds;
    this.#first = first;
    this.#times = times;
    this.#keySizes = keySizes;
    this.#flags = flags;
  }

  /** Number of certificates. */
  get length() {
    return this.#flags.length;
  }

  #at(i) {
    if (!Number.isInteger(i) || i < 0 || i >= this.#flags.length) {
      throw new RangeError(`certificate index ${i} is out of range (there are ${this.#flags.length} certificates)`);
    }
    return i;
  }

  #string(i, k) {
    const j = this.#first[this.#at(i)] + k;
    return this.#text.slice(this.#bounds[j], this.#bounds[j + 1]);
  }

  index(i) { return this.#at(i); }
  source(i) { return this.#string(i, SOURCE); }
  subjectDN(i) { return this.#string(i, SUBJECT); }
  issuerDN(i) { return this.#string(i, ISSUER); }
  serialNumber(i) { return this.#string(i, SERIAL); }
  validFromUnix(i) { return this.#times[2 * this.#at(i)]; }
  expiresUnix(i) { return this.#times[2 * this.#at(i) + 1]; }
  keyAlgorithm(i) { return this.#string(i, KEY_ALGORITHM); }
  keySize(i) { return this.#keySizes[this.#at(i)]; }
  curve(i) { return this.#flags[this.#at(i)] & HAS_CURVE ? this.#string(i, CURVE) : null; }
  sha1Fingerprint(i) { return this.#string(i, SHA1); }
  sha256Fingerprint(i) { return this.#string(i, SHA256); }
  isCa(i) { return (this.#flags[this.#at(i)] & IS_CA) !== 0; }
  selfSigned(i) { return (this.#flags[this.#at(i)] & SELF_SIGNED) !== 0; }
  role(i) { return ROLES[(this.#flags[this.#at(i)] >> ROLE_SHIFT) & 3]; }

  warnings(i) {
    const from = this.#first[this.#at(i)] + STRINGS;
    const to = this.#first[i + 1];
    const out = [];
    for (let j = from; j < to; j++) out.push(this.#text.slice(this.#bounds[j], this.#bounds[j + 1]));
    return out;
  }

  /** Certificate `i` as a `CertificateSummary` (a new plain object, fields in the documented order). */
  get(i) {
    this.#at(i);
    return {
      index: i,
      source: this.source(i),
      subjectDN: this.subjectDN(i),
      issuerDN: this.issuerDN(i),
      serialNumber: this.serialNumber(i),
      validFromUnix: this.validFromUnix(i),
      expiresUnix: this.expiresUnix(i),
      keyAlgorithm: this.keyAlgorithm(i),
      keySize: this.keySize(i),
      curve: this.curve(i),
      sha1Fingerprint: this.sha1Fingerprint(i),
      sha256Fingerprint: this.sha256Fingerprint(i),
      isCa: this.isCa(i),
      selfSigned: this.selfSigned(i),
      role: this.role(i),
      warnings: this.warnings(i),
    };
  }

  /** Every certificate as a `CertificateSummary`, in order. */
  toArray() {
    const out = new Array(this.length);
    for (let i = 0; i < out.length; i++) out[i] = this.get(i);
    return out;
  }

  *[Symbol.iterator]() {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

// The text is valid UTF-8 by construction (a Rust String), so it is decoded without the `fatal`
// check wasm-bindgen's own string glue makes (about a quarter of the decoding time in Chromium).
const utf8 = new TextDecoder();

/** Called from wasm (src/js/summary.rs) with the columns of certwright_pki::SummaryColumns;
 * `textBytes` is a view of wasm memory, valid during this call only. */
export function makeCertificateTable(textBytes, bounds, first, times, keySizes, flags) {
  return new CertificateTable(utf8.decode(textBytes), bounds, first, times, keySizes, flags);
}
