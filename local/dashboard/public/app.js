// The dashboard: one EventSource for the home's live state, one form for what you would say to Alexa.
// Plain browser JavaScript, no build step. Lamps glide to each Hue command's brightness over its own
// transition time, so they breathe exactly as the lamps are told to.
'use strict';

const state = { skew: 0, lamps: [], session: null, diffuser: null, plug: null, bedtime: null, availability: null, turn: null };
const $ = (id) => document.getElementById(id);
const now = () => Date.now() + state.skew;

function clockTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
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
    el.dataset.bri = String(lamp.on ? lamp.bri : 0);
    el.dataset.on = String(lamp.on);
    el.querySelector('.level').textContent = lamp.on ? `brightness ${lamp.bri}` : 'off';
  }
}

function renderDiffuser() {
  const d = state.diffuser;
  const on = d ? d.on : state.plug ? state.plug.on === true : false;
  $('diffuser').dataset.on = String(on);
  $('diffuser-state').textContent = d || (state.plug && state.plug.on !== null) ? (on ? 'on' : 'off') : '—';
  const parts = [];
  if (d && d.on && d.offAt) parts.push(`turns itself off at ${clockTime(d.offAt)}`);
  if (state.plug && state.plug.on !== null) parts.push(`plug relay ${state.plug.on ? 'ON' : 'OFF'}`);
  $('diffuser-detail').textContent = parts.join(' · ');
}

function renderBedtime() {
  const b = state.bedtime;
  $('bedtime').textContent = b && b.time ? b.time : 'not set';
  $('bedtime-detail').textContent = b && b.time && b.nextAt ? `diffuser on for ${b.diffuserMinutes} min · next ${new Date(b.nextAt).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' })}` : '';
}

function renderAvailability() {
  const online = state.availability === 'online';
  $('availability').classList.toggle('online', online);
  $('availability-text').textContent = state.availability === null ? 'connecting…' : online ? 'home bridge online' : 'home bridge offline';
}

function renderSession() {
  const s = state.session;
  const box = $('session');
  const status = s ? s.status : 'idle';
  box.dataset.status = status;
  if (!s || status === 'idle') {
    $('session-title').textContent = 'resting';
    $('session-detail').textContent = '';
    $('session-bar').style.width = '0';
    return;
  }
  const moving = status === 'running' || status === 'ending';
  const elapsed = Math.min(s.totalMs, s.offsetMs + (moving ? Math.max(0, now() - s.at) : 0));
  $('session-title').textContent = s.title || 'session';
  const phase = s.phase === 'drift' ? 'drifting' : s.phase || status;
  $('session-detail').textContent = `${status === 'running' ? phase : status} · ${duration(s.totalMs - elapsed)} left`;
  $('session-bar').style.width = `${s.totalMs > 0 ? (100 * elapsed) / s.totalMs : 0}%`;
}

function renderTurn() {
  const t = state.turn;
  if (!t) return;
  const box = $('exchange');
  const said = document.createElement('div');
  said.className = 'said';
  said.textContent = `“${t.text}”`;
  const intent = document.createElement('span');
  intent.className = 'intent';
  const slots = Object.entries(t.slots).map(([k, v]) => `${k}=${v}`).join(', ');
  intent.textContent = t.intent ? `→ ${t.intent}${slots ? ` (${slots})` : ''}` : `→ ${t.request}`;
  said.appendChild(intent);
  const reply = document.createElement('div');
  reply.className = 'reply';
  const firstWords = t.transcript.items.filter((i) => i.kind === 'speech').map((i) => i.text).join(' ');
  reply.textContent = firstWords.length > 320 ? `${firstWords.slice(0, 320)}…` : firstWords || '(silence)';
  box.prepend(reply);
  box.prepend(said);
  while (box.children.length > 16) box.lastChild.remove();

  const p = $('transcript');
  p.textContent = '';
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
}

let current = -1;
function tick() {
  renderSession();
  const t = state.turn;
  if (!t) return;
  const at = now() - t.speaksAt;
  const items = t.transcript.items;
  let index = items.findIndex((item) => at >= item.startMs && at < item.startMs + item.durationMs);
  if (index === -1 && at >= t.transcript.totalMs) index = items.length;
  const spans = $('transcript').querySelectorAll('.seg');
  if (index !== current) {
    spans.forEach((span, i) => {
      span.classList.toggle('done', i < index);
      span.classList.toggle('now', i === index);
    });
    if (index >= 0 && index < spans.length) spans[index].scrollIntoView({ block: 'nearest', behavior: 'smooth' });
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
  else if (type === 'diffuser' || type === 'plug') renderDiffuser();
  else if (type === 'bedtime') renderBedtime();
  else if (type === 'availability') renderAvailability();
  else if (type === 'session') renderSession();
  else if (type === 'turn') {
    current = -1;
    renderTurn();
    if (window.BreathShape && data) window.BreathShape.show(data.screen, data.speaksAt, now());
  }
}

function connect() {
  const events = new EventSource('/events');
  events.addEventListener('snapshot', (e) => {
    const snap = JSON.parse(e.data);
    state.skew = snap.now - Date.now();
    for (const key of ['lamps', 'session', 'diffuser', 'plug', 'bedtime', 'availability']) apply(key, snap[key]);
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
      const box = $('exchange');
      const line = document.createElement('div');
      line.className = 'said';
      line.textContent = `Could not say that: ${problem.error || res.status}`;
      box.prepend(line);
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
