/** Turns raw chunks into lines. Accepts `\n`, `\r\n` and lone `\r`; never yields empty lines. */
export class LineSplitter {
  private rest = '';

  push(chunk: string, onLine: (line: string) => void): void {
    let text = this.rest + chunk;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        if (i > start) onLine(text.slice(start, i));
        start = i + 1;
      }
    }
    text = text.slice(start);
    // A board spewing garbage without newlines must not grow memory without bound.
    this.rest = text.length > 4096 ? text.slice(-4096) : text;
  }

  reset(): void {
    this.rest = '';
  }
}
