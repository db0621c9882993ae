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
});
