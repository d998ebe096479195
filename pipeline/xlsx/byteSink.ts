// Bytes written piece by piece into one growing buffer: a large part (a sheet of 100,000 rows) is made
// without holding its pieces as strings until the end, so they die young and cost the collector little.

export class ByteSink {
  private buffer: Buffer;
  private length = 0;

  constructor(initial = 1 << 16) {
    this.buffer = Buffer.allocUnsafe(initial);
  }

  /** `text` as UTF-8; 'latin1' is the same bytes, faster, for text known to be ASCII. */
  write(text: string, encoding: 'utf8' | 'latin1' = 'utf8'): void {
    const most = encoding === 'latin1' ? text.length : text.length * 3;
    if (this.length + most > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + most));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
    this.length += this.buffer.write(text, this.length, encoding);
  }

  /** The bytes written (a view of the sink's buffer: write nothing more after). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
