/**
 * What Alexa would say, as text on a screen: the reply's SSML turned into spoken lines and pauses,
 * each placed on a timeline with the engine's own speech model, so a marker can move through it at
 * the pace the voice would. Neighbouring breaks merge into one pause ("[pause 14s]").
 */
import { estimateSpeechMs } from '../src/engine/speech-model';

export type TranscriptItem =
  | { kind: 'speech'; text: string; startMs: number; durationMs: number }
  | { kind: 'pause'; startMs: number; durationMs: number };

export interface Transcript {
  items: TranscriptItem[];
  totalMs: number;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

function unescape(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|apos);/g, (e) => ENTITIES[e] ?? e);
}

/** A break's `time` ("10s", "1500ms") or `strength` in ms; Alexa's strength defaults, roughly. */
function breakMs(attributes: string): number {
  const time = /time\s*=\s*"(\d+(?:\.\d+)?)(ms|s)"/.exec(attributes);
  if (time) return Math.round(Number(time[1]) * (time[2] === 's' ? 1000 : 1));
  const strength = /strength\s*=\s*"([a-z-]+)"/.exec(attributes)?.[1] ?? 'medium';
  return { none: 0, 'x-weak': 100, weak: 250, medium: 400, strong: 750, 'x-strong': 1000 }[strength] ?? 400;
}

export function ssmlToTranscript(ssml: string): Transcript {
  const rate = Number(/<prosody[^>]*rate\s*=\s*"(\d+)%"/.exec(ssml)?.[1] ?? 100);
  const ratePercent = rate >= 20 ? rate : 100;
  const items: TranscriptItem[] = [];
  let at = 0;
  let text = '';
  let pause = 0;
  const flushText = (): void => {
    const words = unescape(text.replace(/\s+/g, ' ').trim());
    text = '';
    if (words === '') return;
    const durationMs = estimateSpeechMs(words, ratePercent);
    items.push({ kind: 'speech', text: words, startMs: at, durationMs });
    at += durationMs;
  };
  const flushPause = (): void => {
    if (pause <= 0) return;
    items.push({ kind: 'pause', startMs: at, durationMs: pause });
    at += pause;
    pause = 0;
  };
  const tokens = ssml.split(/(<[^>]+>)/);
  for (const token of tokens) {
    if (token.startsWith('<')) {
      const tag = /^<\s*(\/?)\s*([a-zA-Z:-]+)([^>]*)>$/.exec(token);
      if (tag?.[2] === 'break' && tag[1] === '') {
        flushText();
        pause += breakMs(tag[3] ?? '');
      } else if (tag?.[2] === 'p' || tag?.[2] === 's') {
        text += ' ';
      }
      continue;
    }
    if (token.trim() === '') {
      text += token;
      continue;
    }
    flushPause();
    text += token;
  }
  flushText();
  flushPause();
  return { items, totalMs: at };
}

/** "4s", "1.5s", "250ms": how a pause is written in the transcript. */
export function formatPause(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
}

/** The reply as one line of text: speech, with each silence marked as "[pause 4s]". */
export function transcriptText(transcript: Transcript): string {
  return transcript.items.map((item) => (item.kind === 'speech' ? item.text : `[pause ${formatPause(item.durationMs)}]`)).join(' ');
}

export function ssmlToText(ssml: string): string {
  return transcriptText(ssmlToTranscript(ssml));
}
