import { outgoingLine, type OutgoingLine } from './in-flight';

/** The job streamer's side of the send queue: the host pulls job lines when it has room for them. */
export interface JobFeed {
  /** The next job line (comment-free, non-empty), or null when none is ready yet. */
  next(): { command: string; tag: number } | null;
  /** The firmware acknowledged the job line with this tag. */
  acknowledged(tag: number): void;
}

/**
 * What goes out next, in order: lines the board asked for again, then commands (the user's and the host's own),
 * then job lines pulled from the feed only when there is room for them, so a command never waits behind a file.
 */
export class SendQueue {
  private readonly commands: OutgoingLine[] = [];
  private resends: OutgoingLine[] = [];
  private feed: JobFeed | null = null;
  /** A job line pulled from the feed that did not fit the window yet; it goes first when there is room. */
  private jobPeek: OutgoingLine | null = null;
  private jobPeekFeed: JobFeed | null = null;

  /** Lines waiting (job lines not yet pulled excluded). */
  get size(): number {
    return this.commands.length + this.resends.length;
  }

  get resending(): boolean {
    return this.resends.length > 0;
  }

  hasFeed(): boolean {
    return this.feed !== null;
  }

  setFeed(feed: JobFeed | null): void {
    this.feed = feed;
  }

  jobAcknowledged(tag: number): void {
    this.feed?.acknowledged(tag);
  }

  push(line: OutgoingLine): void {
    this.commands.push(line);
  }

  /** Whether a waiting command (not a resend or a job line) matches. */
  someCommand(predicate: (line: OutgoingLine) => boolean): boolean {
    return this.commands.some(predicate);
  }

  setResends(lines: OutgoingLine[]): void {
    this.resends = lines;
  }

  /** The line that should go out next, left in place until `take`. */
  peek(): OutgoingLine | null {
    if (this.resends.length) return this.resends[0]!;
    if (this.commands.length) return this.commands[0]!;
    if (!this.feed) return null;
    if (this.jobPeek && this.jobPeekFeed !== this.feed) this.jobPeek = null;
    if (!this.jobPeek) {
      const next = this.feed.next();
      if (next) {
        this.jobPeek = outgoingLine(next.command, 'job', next.tag);
        this.jobPeekFeed = this.feed;
      }
    }
    return this.jobPeek;
  }

  isResend(line: OutgoingLine): boolean {
    return this.resends[0] === line;
  }

  /** Takes out the line `peek` answered: it is being written. */
  take(line: OutgoingLine): void {
    if (this.resends[0] === line) this.resends.shift();
    else if (this.commands[0] === line) this.commands.shift();
    else this.jobPeek = null;
  }

  /** Empties the queue (the link failed); answers the commands and resends that were waiting. */
  clear(): OutgoingLine[] {
    const lines = [...this.commands, ...this.resends];
    this.commands.length = 0;
    this.resends = [];
    this.jobPeek = null;
    return lines;
  }
}
