// The dashboard: one EventSource for the home's live state, one form for what you would say to Alexa.
// Plain browser JavaScript, no build step. Lamps glide to each Hue command's brightness over its own
// transition time, so they breathe exactly as the lamps are told to, and their labels follow the same
// glide. The session card says what a person sees and hears: "starting" while the voice speaks before
// the bridge reports, "the room answers" while the lamps that are on glide to the session's starting
// level before its first step, "fading out" while the lamps dim after a session. `local/dashboard/activity.ts`
// holds the same rules for `winddown say`.
'use strict';

const state = { skew: 0, lamps: [], session: null, starting: null, diffuser: null, plug: null, bedtime: null, bridge: null, availability: null, turn: null, lastTitle: null };
const $ = (id) => document.getElementById(id);
const now = () => Date.now() + state.skew;

/** Every time on the page in one form, the reader's own (10:30 PM or 22:30). */
function clockTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}
function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
function pauseLabel(ms) {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
}

/** A lamp's level at `at` (0 = dark, else 1–254), moving linearly through its transition as Hue does. */
function lampLevel(lamp, at) {
  const to = lamp.on ? lamp.bri : 0;
  const from = lamp.from === undefined ? to : lamp.from;
  if (lamp.transitionMs <= 0 || at >= lamp.at + lamp.transitionMs) return to;
  const t = Math.max(0, (at - lamp.at) / lamp.transitionMs);
  return Math.round(from + (to - from) * t);
}
function lampMoving(lamp, at) {
  return lamp.transitionMs > 0 && at < lamp.at + lamp.transitionMs && lamp.from !== undefined && lamp.from !== (lamp.on ? lamp.bri : 0);
}

/** One word for the session card: what is happening now (see activity.ts). */
function activity(at) {
  const s = state.session;
  const status = s ? s.status : 'idle';
  const starting = state.starting;
  if (starting && (!s || s.sessionId !== starting.sessionId || status === 'idle')) return { kind: 'starting', title: starting.title, startAt: starting.startAt, totalMs: starting.totalMs };
  const moving = state.lamps.filter((l) => lampMoving(l, at));
  // While ending, a lamp still mid-breath says nothing yet; one told "off" is the fade itself.
  const fadingOff = moving.some((l) => !l.on);
  if (s && status !== 'idle' && !(status === 'ending' && fadingOff)) {
    const advancing = status === 'running' || status === 'ending';
    const elapsedMs = Math.min(s.totalMs, s.offsetMs + (advancing ? Math.max(0, at - s.at) : 0));
    return { kind: 'session', status, title: s.title || 'Session', phase: s.phase, elapsedMs, totalMs: s.totalMs };
  }
  if (moving.length > 0 && (status === 'ending' || status === 'idle')) {
    return { kind: 'fading', to: moving.every((l) => !l.on) ? 'off' : 'restore', until: Math.max(...moving.map((l) => l.at + l.transitionMs)) };
  }
  return { kind: 'none' };
}

function renderLamps() {
  const box = $('lamps');
  for (const lamp of state.lamps) {
    let el = box.querySelector(`[data-lamp="${CSS.escape(lamp.id)}"]`);
    if (!el) {
      el = document.createElement('div');
      el.className = 'lamp';
      el.dataset.lamp = lamp.id;
      el.innerHTML = '<div class="bulb"><div class="glow"></div><div class="core"></div></div><span class="name"></span><span class="level"></span>';
      el.querySelector('.name').textContent = lamp.name;
      box.appendChild(el);
    }
    const level = lamp.on ? lamp.bri / 254 : 0;
    const ms = `${Math.max(0, lamp.transitionMs)}ms`;
    const glow = el.querySelector('.glow');
    const core = el.querySelector('.core');
    glow.style.transitionDuration = ms;
    core.style.transitionDuration = ms;
    glow.style.opacity = String(lamp.on ? 0.12 + 0.88 * level : 0);
    glow.style.transform = `scale(${0.6 + 0.5 * level})`;
    core.style.opacity = String(lamp.on ? 0.15 + 0.85 * level : 0.05);
    // Where the lamp is going; `data-level` (below) is where it is.
    el.dataset.bri = String(lamp.on ? lamp.bri : 0);
    el.dataset.on = String(lamp.on);
  }
  renderLampLevels();
}

/** Each lamp's label, as bright as the lamp is now: a fade to dark reads "fading" until it is dark. */
function renderLampLevels() {
  const at = now();
  for (const lamp of state.lamps) {
    const el = $('lamps').querySelector(`[data-lamp="${CSS.escape(lamp.id)}"]`);
    if (!el) continue;
    const level = lampLevel(lamp, at);
    const percent = `${Math.max(1, Math.round((100 * level) / 254))}%`;
    const fading = !lamp.on && lampMoving(lamp, at);
    el.dataset.level = String(level);
    el.dataset.fading = String(fading);
    el.querySelector('.level').textContent = level === 0 ? 'off' : fading ? `fading · ${percent}` : percent;
  }
}

function renderDiffuser() {
  const d = state.diffuser;
  const plug = state.plug && state.plug.on !== null ? state.plug.on : null;
  const on = d ? d.on : plug === true;
  $('diffuser').dataset.on = String(on);
  $('diffuser-state').textContent = d || plug !== null ? (on ? 'on' : 'off') : '—';
  let detail = '';
  if (d && d.on && d.offAt) detail = `turns itself off at ${clockTime(d.offAt)}`;
  // The plug is only worth a word when it disagrees with what the bridge says.
  if (d && plug !== null && plug !== d.on) detail = `the plug itself is ${plug ? 'on' : 'off'}`;
  // A plug with no timer of its own: say so before anyone relies on it switching itself off.
  if (state.bridge && state.bridge.diffuserOffBy === 'bridge') detail = `${detail ? `${detail} · ` : ''}this plug has no timer the bridge can count on: only the bridge is sure to switch it off, so keep the bridge running`;
  $('diffuser-detail').textContent = detail;
}

/** "22:30" (the home's wall-clock time) in the page's one form of time. */
function bedtimeLabel(time) {
  const [hours, minutes] = time.split(':').map(Number);
  const at = new Date();
  at.setHours(hours, minutes, 0, 0);
  return clockTime(at.getTime());
}
function dayOf(ms) {
  const day = new Date(ms);
  const today = new Date();
  const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
  if (day.toDateString() === today.toDateString()) return 'tonight';
  if (day.toDateString() === tomorrow.toDateString()) return 'tomorrow';
  return day.toLocaleDateString([], { weekday: 'long' });
}

function renderBedtime() {
  const b = state.bedtime;
  $('bedtime').textContent = b && b.time ? bedtimeLabel(b.time) : 'not set';
  $('bedtime-detail').textContent = b && b.time && b.nextAt ? `diffuser on for ${b.diffuserMinutes} min · next ${dayOf(b.nextAt)}` : '';
}

function renderAvailability() {
  const online = state.availability === 'online';
  $('availability').classList.toggle('online', online);
  $('availability-text').textContent = state.availability === null ? 'connecting…' : online ? 'home bridge online' : 'home bridge offline';
}

/** Before the first step: the lamps that are on glide to the session's starting level (lamps that are off stay off). */
const ROOM_ANSWERS = 'the room answers · lamps that are on glide to the starting level';
const PHASES = { inhale: 'breathing in', exhale: 'breathing out', hold: 'holding', tense: 'tensing', release: 'letting go', drift: 'drifting' };

function renderSession() {
  const at = now();
  const a = activity(at);
  const box = $('session');
  if (a.kind === 'starting' || a.kind === 'session') state.lastTitle = a.title;
  if (a.kind === 'none') {
    box.dataset.status = 'idle';
    $('session-title').textContent = 'resting';
    $('session-detail').textContent = '';
    $('session-bar').style.width = '0';
  } else if (a.kind === 'starting') {
    box.dataset.status = 'starting';
    $('session-title').textContent = a.title;
    // The voice speaks from the reply; the lamps join at the plan's start.
    $('session-detail').textContent = at < a.startAt ? `starting · the lamps join in ${duration(a.startAt - at)}` : 'starting · the lamps are joining';
    if (state.lamps.some((l) => lampMoving(l, at))) $('session-detail').textContent = ROOM_ANSWERS;
    $('session-bar').style.width = '0';
  } else if (a.kind === 'fading') {
    box.dataset.status = 'fading';
    $('session-title').textContent = state.lastTitle || 'Session';
    $('session-detail').textContent = a.to === 'off' ? `fading out · dark in ${duration(a.until - at)}` : `lights returning to how they were · ${duration(a.until - at)}`;
    $('session-bar').style.width = '100%';
  } else {
    box.dataset.status = a.status;
    $('session-title').textContent = a.title;
    // With no phase known (protocol 1, or before the first step) only the status shows, or, while the
    // lamps that are on glide to the starting level, that the room has answered.
    const answering = a.status === 'running' && !a.phase && state.lamps.some((l) => lampMoving(l, at));
    const doing = answering ? ROOM_ANSWERS : a.status === 'running' && a.phase ? PHASES[a.phase] || a.phase : a.status;
    $('session-detail').textContent = `${doing} · ${duration(a.totalMs - a.elapsedMs)} left`;
    $('session-bar').style.width = `${a.totalMs > 0 ? (100 * a.elapsedMs) / a.totalMs : 0}%`;
  }
}

function renderTurn() {
  const t = state.turn;
  if (!t) return;
  // What was said and how it was heard; the reply itself is shown once, under "What Alexa says".
  const box = $('exchange');
  const said = document.createElement('div');
  said.className = 'said';
  said.textContent = `“${t.text}”`;
  const intent = document.createElement('span');
  intent.className = 'intent';
  // A time the skill heard ("22:30") in the page's one form of time.
  const slots = Object.entries(t.slots).map(([k, v]) => `${k}=${/^\d\d:\d\d$/.test(v) ? bedtimeLabel(v) : v}`).join(', ');
  intent.textContent = t.intent ? `→ ${t.intent}${slots ? ` (${slots})` : ''}` : `→ ${t.request}`;
  said.appendChild(intent);
  box.prepend(said);
  while (box.children.length > 12) box.lastChild.remove();

  const p = $('transcript');
  p.textContent = '';
  p.scrollTop = 0;
  t.transcript.items.forEach((item, i) => {
    const span = document.createElement('span');
    span.className = `seg ${item.kind}`;
    span.dataset.index = String(i);
    if (item.kind === 'pause') {
      span.innerHTML = '<span class="fill"></span>';
      span.append(`pause ${pauseLabel(item.durationMs)}`);
    } else span.textContent = item.text;
    p.append(span, ' ');
  });
  if (t.transcript.items.length === 0) p.textContent = '(silence)';
  if (t.listening) {
    const listening = document.createElement('span');
    listening.className = 'listening';
    listening.textContent = t.reprompt ? `Alexa is listening: “${t.reprompt}”` : 'Alexa is listening…';
    p.append(listening);
  }
}

/** Keeps the marker in view by scrolling the transcript box only, never the page around it. */
function keepInView(box, span) {
  // The box is positioned (style.css), so a span's offsetTop is measured from the box's own top.
  const top = span.offsetTop;
  const bottom = top + span.offsetHeight;
  if (top >= box.scrollTop && bottom <= box.scrollTop + box.clientHeight) return;
  box.scrollTo({ top: Math.max(0, top - box.clientHeight / 3), behavior: 'smooth' });
}

let current = -1;
function tick() {
  renderSession();
  renderLampLevels();
  const t = state.turn;
  if (!t) return;
  const at = now() - t.speaksAt;
  const items = t.transcript.items;
  let index = items.findIndex((item) => at >= item.startMs && at < item.startMs + item.durationMs);
  if (index === -1 && at >= t.transcript.totalMs) index = items.length;
  const box = $('transcript');
  const spans = box.querySelectorAll('.seg');
  if (index !== current) {
    spans.forEach((span, i) => {
      span.classList.toggle('done', i < index);
      span.classList.toggle('now', i === index);
    });
    if (index >= 0 && index < spans.length) keepInView(box, spans[index]);
    current = index;
  }
  const item = items[index];
  if (item && item.kind === 'pause') {
    const fill = spans[index] && spans[index].querySelector('.fill');
    if (fill) fill.style.width = `${Math.min(100, (100 * (at - item.startMs)) / item.durationMs)}%`;
  }
}

function apply(type, data) {
  state[type] = data;
  if (type === 'lamps') renderLamps();
  else if (type === 'diffuser' || type === 'plug' || type === 'bridge') renderDiffuser();
  else if (type === 'bedtime') renderBedtime();
  else if (type === 'availability') renderAvailability();
  else if (type === 'session' || type === 'starting') renderSession();
  else if (type === 'turn') {
    current = -1;
    renderTurn();
    if (window.BreathShape && data) window.BreathShape.show(data.screen, data.speaksAt, now());
  }
}

function connect() {
  const events = new EventSource('/events');
  // Refused (403: this tab has not the run's token): a browser does not retry, so say what to open.
  events.addEventListener('error', () => {
    if (events.readyState !== EventSource.CLOSED) return;
    $('availability-text').textContent = 'not connected: open the dashboard link that winddown start printed (it carries this run\'s token)';
    document.body.dataset.refused = 'true';
  });
  events.addEventListener('snapshot', (e) => {
    const snap = JSON.parse(e.data);
    state.skew = snap.now - Date.now();
    for (const key of ['lamps', 'session', 'starting', 'diffuser', 'plug', 'bedtime', 'bridge', 'availability']) apply(key, snap[key]);
    if (snap.turn && (!state.turn || state.turn.speaksAt !== snap.turn.speaksAt)) apply('turn', snap.turn);
    document.body.dataset.ready = 'true';
  });
  events.addEventListener('update', (e) => {
    const event = JSON.parse(e.data);
    state.skew = event.now - Date.now();
    apply(event.type, event.data);
  });
}

async function say(text) {
  const input = $('utterance');
  input.disabled = true;
  try {
    const res = await fetch('/api/say', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    if (!res.ok) {
      const problem = await res.json().catch(() => ({}));
      const line = document.createElement('div');
      line.className = 'said';
      line.textContent = `Could not say that: ${problem.error || res.status}`;
      $('exchange').prepend(line);
    }
    // The reply arrives through the live updates, for every open tab alike.
  } finally {
    input.disabled = false;
    input.focus();
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('say-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('utterance').value.trim();
    if (text) {
      $('utterance').value = '';
      void say(text);
    }
  });
  for (const button of document.querySelectorAll('[data-say]')) button.addEventListener('click', () => void say(button.dataset.say));
  connect();
  setInterval(tick, 200);
});
