import { CryptoError, CryptoErrorCode } from '../errors';

/** UTF-8 encoder shared by the envelope encodings. */
export const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function malformed(message: string): never {
  throw new CryptoError(CryptoErrorCode.MalformedInput, message);
}

/** Appends length-prefixed, big-endian fields; the output of a given value is unique. */
export class ByteWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  raw(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.length += bytes.length;
    return this;
  }

  u8(value: number): this {
    return this.raw(Uint8Array.of(value));
  }

  /** An unsigned integer up to 2^53 - 1, as 8 bytes. */
  u64(value: number): this {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, BigInt(value));
    return this.raw(out);
  }

  bytes32(value: Uint8Array): this {
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, value.length);
    return this.raw(len).raw(value);
  }

  string16(value: string): this {
    const bytes = utf8.encode(value);
    const len = new Uint8Array(2);
    new DataView(len.buffer).setUint16(0, bytes.length);
    return this.raw(len).raw(bytes);
  }

  string32(value: string): this {
    return this.bytes32(utf8.encode(value));
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}

/** Reads what ByteWriter wrote; every overrun or bad value is a MalformedInput CryptoError. */
export class ByteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private take(n: number, what: string): Uint8Array {
    if (n > this.bytes.length - this.offset) malformed(`truncated ${what}`);
    const out = this.bytes.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  raw(n: number, what: string): Uint8Array {
    return this.take(n, what);
  }

  u8(what: string): number {
    return this.take(1, what)[0];
  }

  u64(what: string): number {
    const b = this.take(8, what);
    const value = new DataView(b.buffer).getBigUint64(0);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) malformed(`${what} exceeds 2^53 - 1`);
    return Number(value);
  }

  bytes32(what: string, max = Number.MAX_SAFE_INTEGER): Uint8Array {
    if (4 > this.bytes.length - this.offset) malformed(`truncated length of ${what}`);
    const len = this.view.getUint32(this.offset);
    this.offset += 4;
    if (len > max) malformed(`${what} is longer than ${max} bytes`);
    return this.take(len, what);
  }

  private text(bytes: Uint8Array, what: string): string {
    try {
      return strictUtf8.decode(bytes);
    } catch {
      return malformed(`${what} is not valid UTF-8`);
    }
  }

  string16(what: string, max: number): string {
    if (2 > this.bytes.length - this.offset) malformed(`truncated length of ${what}`);
    const len = this.view.getUint16(this.offset);
    this.offset += 2;
    if (len > max) malformed(`${what} is longer than ${max} bytes`);
    return this.text(this.take(len, what), what);
  }

  string32(what: string, max: number): string {
    return this.text(this.bytes32(what, max), what);
  }

  end(): void {
    if (this.offset !== this.bytes.length) malformed(`${this.bytes.length - this.offset} trailing bytes`);
  }
}
