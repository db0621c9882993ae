/**
 * A size guard between the broker's socket and mqtt.js's parser. mqtt.js reads a whole packet into
 * memory before anyone can look at it, so a 60 MB publish to the command topic costs the bridge well
 * over 60 MB before the inbox's 64 KB check refuses it: enough to kill a small Pi. On MQTT 5 the broker
 * is told our maximum packet size and never sends more; on MQTT 3.1.1 there is no way to tell it, so
 * this stream reads each packet's fixed header as it arrives and, for a PUBLISH over the limit, passes
 * on a shortened copy: the same topic, flags and packet id (so mqtt.js still acknowledges it and the
 * session goes on), with only the first bytes of its payload, enough for the receiver to see that it is
 * too large. The rest is discarded as it streams by; at most one limit's worth is ever held.
 */
import { Transform, type Duplex, type TransformCallback } from 'node:stream';

const PUBLISH = 3;

export interface PacketCapOptions {
  /** The largest whole packet passed on as it is. */
  maxPacketBytes: number;
  /** How much of an oversized message's payload is passed on (one byte over the receiver's limit). */
  keptPayloadBytes: number;
  /** 5: a PUBLISH carries properties after its topic, which the shortened copy leaves out. */
  protocolVersion: number;
  /** Told once per oversized message, with its topic and whole size. */
  onOversized?: (topic: string, packetBytes: number) => void;
}

/** MQTT's variable-length integer (the remaining length, a property length). */
export function encodeLength(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    bytes.push(byte);
  } while (value > 0);
  return bytes;
}

type Phase =
  /** Reading a packet's first byte and remaining length. */
  | 'fixed'
  /** Passing `left` bytes on as they are. */
  | 'pass'
  /** An oversized PUBLISH: collecting its topic and packet id. */
  | 'topic'
  /** MQTT 5: reading the length of its properties. */
  | 'properties-length'
  /** MQTT 5: discarding its properties. */
  | 'properties'
  /** Passing on the kept part of its payload. */
  | 'kept'
  /** Discarding the rest. */
  | 'skip';

export class PacketCap extends Transform {
  private phase: Phase = 'fixed';
  private fixed: number[] = [];
  /** Bytes of the current packet not yet read. */
  private left = 0;
  /** Of `kept`: payload bytes still to pass on. */
  private keep = 0;
  private first = 0;
  private total = 0;
  private head: Buffer[] = [];
  private headLength = 0;
  private headNeeded = 2;
  private topicLengthRead = false;
  private propertiesLength: number[] = [];
  private skipAfterProperties = 0;

  constructor(private readonly options: PacketCapOptions) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.phase === 'fixed') {
        const byte = chunk[at++] as number;
        this.fixed.push(byte);
        if (this.fixed.length === 1 || byte & 0x80) {
          if (this.fixed.length > 4 && byte & 0x80) return done(new Error('MQTT: malformed remaining length from the broker'));
          continue;
        }
        this.startPacket();
        continue;
      }
      const available = chunk.length - at;
      switch (this.phase) {
        case 'pass':
        case 'kept': {
          const n = Math.min(available, this.phase === 'pass' ? this.left : this.keep);
          this.push(chunk.subarray(at, at + n));
          at += n;
          this.left -= n;
          if (this.phase === 'kept') this.keep -= n;
          break;
        }
        case 'skip':
        case 'properties': {
          const n = Math.min(available, this.phase === 'skip' ? this.left : this.skipAfterProperties);
          at += n;
          this.left -= n;
          if (this.phase === 'properties') this.skipAfterProperties -= n;
          break;
        }
        case 'topic': {
          const n = Math.min(available, this.headNeeded - this.headLength, this.left);
          this.head.push(chunk.subarray(at, at + n));
          this.headLength += n;
          this.left -= n;
          at += n;
          if (this.headLength === 2 && !this.topicLengthRead) {
            this.topicLengthRead = true;
            this.headNeeded = 2 + Buffer.concat(this.head).readUInt16BE(0) + (this.qos() > 0 ? 2 : 0);
          }
          break;
        }
        case 'properties-length': {
          const byte = chunk[at++] as number;
          this.left -= 1;
          this.propertiesLength.push(byte);
          if (!(byte & 0x80)) this.skipAfterProperties = this.propertiesLength.reduce((sum, b, i) => sum + (b & 0x7f) * 128 ** i, 0);
          else if (this.propertiesLength.length === 4) return done(new Error('MQTT: malformed property length from the broker'));
          break;
        }
      }
      const problem = this.advance();
      if (problem) return done(new Error(problem));
    }
    done();
  }

  private qos(): number {
    return (this.first >> 1) & 0x03;
  }

  private startPacket(): void {
    const [first, ...length] = this.fixed as [number, ...number[]];
    this.fixed = [];
    this.first = first;
    this.left = length.reduce((sum, b, i) => sum + (b & 0x7f) * 128 ** i, 0);
    this.total = 1 + length.length + this.left;
    if (first >> 4 !== PUBLISH || this.total <= this.options.maxPacketBytes) {
      this.push(Buffer.from([first, ...length]));
      this.phase = this.left > 0 ? 'pass' : 'fixed';
      return;
    }
    this.head = [];
    this.headLength = 0;
    this.headNeeded = 2;
    this.topicLengthRead = false;
    this.propertiesLength = [];
    this.skipAfterProperties = 0;
    this.phase = 'topic';
  }

  /** Moves to the next phase once the current one is done; a reason when the packet cannot be read. */
  private advance(): string | null {
    switch (this.phase) {
      case 'pass':
      case 'skip':
        if (this.left === 0) this.phase = 'fixed';
        return null;
      case 'kept':
        if (this.keep === 0) this.phase = this.left > 0 ? 'skip' : 'fixed';
        return null;
      case 'topic':
        if (this.headLength < this.headNeeded) return this.left > 0 ? null : 'MQTT: a PUBLISH from the broker ends inside its topic';
        if (this.options.protocolVersion === 5) {
          this.phase = 'properties-length';
          return this.left > 0 ? null : 'MQTT: a PUBLISH from the broker has no properties';
        }
        this.passKept();
        return null;
      case 'properties-length':
        if (((this.propertiesLength.at(-1) ?? 0x80) & 0x80) !== 0) return this.left > 0 ? null : 'MQTT: a PUBLISH from the broker ends inside its properties';
        if (this.skipAfterProperties > this.left) return 'MQTT: a PUBLISH from the broker ends inside its properties';
        this.phase = 'properties';
        if (this.skipAfterProperties === 0) this.passKept();
        return null;
      case 'properties':
        if (this.skipAfterProperties === 0) this.passKept();
        return null;
      case 'fixed':
        return null;
    }
  }

  /** Sends the shortened copy's header, then lets the kept part of the payload through. */
  private passKept(): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    this.keep = Math.min(this.left, this.options.keptPayloadBytes);
    const properties = this.options.protocolVersion === 5 ? [0] : [];
    const remaining = head.length + properties.length + this.keep;
    this.push(Buffer.concat([Buffer.from([this.first, ...encodeLength(remaining)]), head, Buffer.from(properties)]));
    this.options.onOversized?.(head.subarray(2, 2 + head.readUInt16BE(0)).toString('utf8'), this.total);
    this.phase = this.keep > 0 ? 'kept' : this.left > 0 ? 'skip' : 'fixed';
  }
}

/**
 * `stream` as mqtt.js will read it: mqtt.js reads a connection only by piping it into its parser, so
 * the pipe goes through a PacketCap first. Writing, ending and closing stay the connection's own.
 */
export function capIncoming<S extends Duplex>(stream: S, options: PacketCapOptions): S {
  const cap = new PacketCap(options);
  cap.on('error', (error) => stream.destroy(error));
  const pipe = stream.pipe.bind(stream);
  stream.pipe = <T extends NodeJS.WritableStream>(destination: T, pipeOptions?: { end?: boolean }): T => {
    pipe(cap);
    return cap.pipe(destination, pipeOptions);
  };
  return stream;
}
