import { formatTurn, progressLine } from '../../local/commands';
import { ssmlToText, ssmlToTranscript } from '../../local/transcript';
import type { LampView, TurnView } from '../../local/dashboard/hub';

describe('speech as text', () => {
  it('marks pauses, merging neighbouring breaks, and times them with the speech model', () => {
    const ssml = '<speak><prosody rate="90%">Breathe in. <break time="3s"/><break time="1500ms"/>And out &amp; rest.<break time="10s"/></prosody></speak>';
    expect(ssmlToText(ssml)).toBe('Breathe in. [pause 4.5s] And out & rest. [pause 10s]');
    const t = ssmlToTranscript(ssml);
    expect(t.items.map((i) => i.kind)).toEqual(['speech', 'pause', 'speech', 'pause']);
    const [first, pause] = t.items;
    expect(pause?.startMs).toBe((first?.startMs ?? 0) + (first?.durationMs ?? 0));
    expect(t.totalMs).toBe(t.items.reduce((sum, i) => sum + i.durationMs, 0));
  });
});

describe('winddown say output', () => {
  const turn: TurnView = {
    text: 'start wind down',
    request: 'LaunchRequest',
    intent: null,
    slots: {},
    speech: 'Welcome. [pause 2s] Breathe in.',
    reprompt: null,
    listening: false,
    transcript: { items: [], totalMs: 0 },
    speaksAt: 0,
  };

  it('prints what was heard and the reply', () => {
    expect(formatTurn(turn)).toContain('→ LaunchRequest');
    expect(formatTurn(turn)).toContain('Welcome. [pause 2s] Breathe in.');
    expect(formatTurn({ ...turn, request: 'IntentRequest', intent: 'StartSessionIntent', slots: { minutes: '5' } })).toContain('→ StartSessionIntent (minutes=5)');
  });

  it('shows the breath phase, the time left and every lamp', () => {
    const lamps: LampView[] = [1, 2, 3].map((n) => ({ id: String(n), name: `lamp ${n}`, on: true, bri: 120, transitionMs: 4000, at: 0 }));
    const session = { sessionId: 'abcd', title: 'Paced breathing', status: 'running' as const, phase: 'inhale' as const, offsetMs: 60_000, totalMs: 300_000, bri: 120, at: 1_700_000_000_000 };
    expect(progressLine({ session, lamps }, session.at + 30_000)).toBe('breathe in  · 3:30 left · lamps 120 120 120');
    expect(progressLine({ session: { ...session, status: 'paused' }, lamps }, session.at + 30_000)).toMatch(/^paused\s+· 4:00 left/);
    expect(progressLine({ session: null, lamps: [{ ...lamps[0]!, on: false }] }, 0)).toBe('resting · lamps off');
    // The phase is the session's own; with none known (version 1, or before the first step) only the status shows.
    expect(progressLine({ session: { ...session, phase: 'release' }, lamps }, session.at)).toMatch(/^let go\s+· 4:00 left/);
    expect(progressLine({ session: { ...session, phase: null }, lamps }, session.at)).toMatch(/^running\s+· 4:00 left/);
  });

  it('says starting while the voice speaks before the lamps join, and fading out while they dim after the session', () => {
    const at = 1_700_000_000_000;
    const lamps: LampView[] = [1, 2, 3].map((n) => ({ id: String(n), name: `lamp ${n}`, on: true, bri: 120, from: 120, transitionMs: 0, at }));
    const idle = { sessionId: null, title: null, status: 'idle' as const, phase: null, offsetMs: 0, totalMs: 0, bri: null, at };
    const starting = { sessionId: 'abcd', title: 'Paced breathing', startAt: at + 20_000, totalMs: 600_000 };
    expect(progressLine({ session: idle, starting, lamps }, at)).toBe('starting    · lamps join in 0:20 · lamps 120 120 120');
    expect(progressLine({ session: idle, starting, lamps }, at + 21_000)).toBe('starting    · lamps joining · lamps 120 120 120');
    // The bridge's report about that session wins.
    const running = { ...idle, sessionId: 'abcd', title: 'Paced breathing', status: 'running' as const, phase: 'inhale' as const, totalMs: 600_000, at: at + 20_000 };
    expect(progressLine({ session: running, starting, lamps }, at + 20_000)).toBe('breathe in  · 10:00 left · lamps 120 120 120');
    // After a stop the lamps are told "off" over a minute: half way, they glow at half their level.
    const fading = lamps.map((l) => ({ ...l, on: false, transitionMs: 60_000 }));
    expect(progressLine({ session: idle, starting: null, lamps: fading }, at + 30_000)).toBe('fading out  · 0:30 · lamps  60  60  60');
    expect(progressLine({ session: { ...idle, status: 'ending' }, starting: null, lamps: fading }, at + 30_000)).toMatch(/^fading out\s+· 0:30/);
    expect(progressLine({ session: idle, starting: null, lamps: fading }, at + 60_000)).toBe('resting · lamps off off off');
    // A restore brings them back lit, over its own transition.
    const restoring = lamps.map((l) => ({ ...l, from: 40, transitionMs: 4000 }));
    expect(progressLine({ session: idle, starting: null, lamps: restoring }, at + 2000)).toBe('restoring   · 0:02 · lamps  80  80  80');
  });
});
