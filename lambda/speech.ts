/**
 * Everything the skill says outside the sessions themselves, in one place: short, calm, second person,
 * and never a question unless the microphone is meant to open.
 */
export const WELCOME = 'Welcome to Wind Down. Settle in, and breathe along with me.';
/** A returning listener: a few words, and the first breath within seconds. */
export const WELCOME_BACK = 'Welcome back. Settle in.';
/** In the middle of the night: few words, and the room stays dark. */
export const NIGHT_WELCOME = "I'm here. Let's help you back to sleep.";
export const EXPLAIN_LEAD = "Here's how it works, from the start.";
import { DIFFUSER_OFF_HOW } from '../src/content/phrases';

/** Said after "The diffuser is on.", the first time: cautious, and not medical advice. */
export const OIL_SAFETY_SHORT =
  "A word of care with essential oils: don't diffuse where a baby, child or pet sleeps, and never swallow them.";
/** The same care, the first time the diffuser comes on with a session. */
export const OIL_SAFETY = `Your diffuser is coming on. ${OIL_SAFETY_SHORT}`;
/**
 * Said once, the first time a bedtime with the diffuser is set: from then on it comes on by itself,
 * with nobody there to decide. Who it is not for (src/content/faq.ts cites the sources), and how to
 * stop it.
 */
export const BEDTIME_CARE =
  `A word of care, since the diffuser will now come on by itself: don't let it run where a baby, a young child, a cat or a bird sleeps, and if you're pregnant or have epilepsy or asthma, ask a doctor first. ${DIFFUSER_OFF_HOW}`;
export const DIFFUSER_SESSIONS_OFF =
  "Okay. I won't use the diffuser with your sessions, or at bedtime. To change that, say: use the diffuser with my sessions.";
export const DIFFUSER_SESSIONS_ON = 'Okay. The diffuser will come on with your sleep sessions, and at your bedtime if you set one.';
export const LIGHTS_UNREACHABLE = "I couldn't reach your lights just now, so this session is voice only.";
export const RESUME_LEAD = "Let's go on.";
export const START_OVER_LEAD = "Let's begin again.";
export const GOODNIGHT = 'Okay. Sleep well.';
export const PAUSED = 'Paused. When you want to go on, say: Alexa, ask wind down to resume.';
/** "Yes" to an offer starts the default session: paced breathing, or back to sleep in the night, so the offer names neither. */
export const NOTHING_TO_RESUME = "There's no session to pick up right now. Would you like to start a new one?";
export const SESSION_FINISHED = 'That session has finished. Would you like to start another?';
export const OFFER_SESSION_REPROMPT = 'Would you like to start a session?';

export const HELP =
  'Wind Down guides you through slow breathing, progressive muscle relaxation, a gentle back-friendly relaxation, ' +
  'a body scan, or a guided meditation, and your lights can breathe along. ' +
  'You can say: start breathing for ten minutes, or ask: what is progressive muscle relaxation. ' +
  'You can also set your bedtime, turn the diffuser on or off, or say: remind me to wind down at ten p.m. ' +
  'Wind Down is not a substitute for medical advice. Would you like to start a session now?';

export const FALLBACK =
  "Sorry, I didn't get that. You can start a session, like: start a body scan, or ask a question about the techniques. What would you like?";
export const FALLBACK_REPROMPT = 'You can say: start breathing, or say help.';

export const UNKNOWN_TECHNIQUE =
  "I don't have a session for that. You can choose breathing, progressive muscle relaxation, back-friendly relaxation, gentle back stretches, a body scan, a guided meditation, guided imagery, autogenic training, or back to sleep. Which would you like?";
export const UNKNOWN_TECHNIQUE_REPROMPT = 'Which would you like: breathing, muscle relaxation, a body scan, or a meditation?';

export const FAQ_MISS =
  "I'm not sure about that one, and I'd rather not guess. I can answer questions about the techniques, aromatherapy, and this skill. Would you like to hear what I can do?";
export const FAQ_MISS_REPROMPT = 'Would you like to hear what I can do?';

export const BEDTIME_PROMPT = 'What time would you like to go to bed?';
export const NO_BEDTIME = "You haven't set a bedtime yet. You can say: set my bedtime to ten thirty p.m.";

export const DIFFUSER_UNREACHABLE = "I couldn't reach your diffuser just now. Please try again in a moment.";

/** The daily reminder. Where to grant the permission is said aloud: the card alone is easy to miss. */
export const REMINDER_PERMISSION =
  "To remind you, Wind Down needs your permission to set reminders. I've sent a card to the Alexa app on your phone: open it and allow reminders, then ask me again.";
export const REMINDER_PERMISSION_REVOKED =
  "Wind Down isn't allowed to set reminders any more, so nothing has changed. I've sent a card to the Alexa app on your phone where you can allow it again.";
export const REMINDER_TIME_PROMPT = 'What time would you like your reminder?';
export const REMINDER_NO_TIME = "I didn't catch a time. You can say: remind me to wind down at ten p.m.";
export const REMINDER_OFFER = 'Would you like a reminder fifteen minutes before?';
export const NO_REMINDER = "You don't have a wind down reminder.";
export const REMINDER_STOPPED = "Okay. I've deleted your wind down reminder.";
export const REMINDER_STOP_NOT_ALLOWED =
  "Wind Down isn't allowed to change your reminders any more. You can delete the wind down reminder in the Alexa app, under Reminders.";
/** One sentence for each way the Reminders API can fail; none of them is retried. */
export const REMINDER_TROUBLE = {
  unauthorized: "I couldn't open your reminders just now. Please try again later.",
  throttled: 'Your reminders are busy just now. Please try again in a few minutes.',
  unavailable: "The Alexa reminders service isn't answering just now. Please try again later.",
  rejected: "Alexa didn't accept that reminder. You can set one in the Alexa app instead.",
} as const;

/** After a new bedtime: the reminder set from the bedtime went with it. */
export function reminderMoved(clock: string): string {
  return `Your reminder has moved with it, to ${spokenTime(clock)}.`;
}

export function reminderNotMoved(clock: string): string {
  return `I couldn't move your reminder just now, so it still comes at ${spokenTime(clock)}.`;
}

export function reminderSet(clock: string, moved: boolean): string {
  const when = spokenTime(clock);
  return moved ? `Okay. I've moved your reminder to ${when}, every day.` : `Okay. I'll remind you to wind down at ${when}, every day.`;
}

export const ERROR = "Sorry, something went wrong on my side. Please try again in a moment.";

/** "22:30" → "10:30 PM"; midnight and noon by name, morning times said as such so a mistake is heard. */
export function spokenTime(clock: string): string {
  const [h = 0, m = 0] = clock.split(':').map(Number);
  if (h === 0 && m === 0) return 'midnight';
  if (h === 12 && m === 0) return 'noon';
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  const minutes = m === 0 ? '' : `:${String(m).padStart(2, '0')}`;
  if (h < 12) return `${hour12}${minutes} in the morning`;
  return `${hour12}${minutes} PM`;
}

/** `care`: the first bedtime with the diffuser, which ends with the care line. */
export function bedtimeSet(clock: string, outcome: 'sent' | 'unreachable' | 'disabled', diffuser = true, care = false): string {
  const said = bedtimeSetOnly(clock, outcome, diffuser);
  return care ? `${said} ${BEDTIME_CARE}` : said;
}

function bedtimeSetOnly(clock: string, outcome: 'sent' | 'unreachable' | 'disabled', diffuser: boolean): string {
  const when = spokenTime(clock);
  switch (outcome) {
    case 'sent':
      return diffuser ? `Okay. Your bedtime is ${when}. Your diffuser will come on then.` : `Okay. Your bedtime is ${when}.`;
    case 'unreachable':
      return `I've saved your bedtime as ${when}, but I couldn't reach your home just now. I'll send it with your next session.`;
    case 'disabled':
      return `Okay. Your bedtime is ${when}.`;
  }
}

export function bedtimeIs(clock: string): string {
  return `Your bedtime is ${spokenTime(clock)}.`;
}

export function diffuserOn(minutes: number, reached: boolean): string {
  return reached ? `The diffuser is on. It will switch itself off in ${minutes} minutes.` : DIFFUSER_UNREACHABLE;
}

export function diffuserOff(reached: boolean): string {
  return reached ? 'The diffuser is off.' : DIFFUSER_UNREACHABLE;
}

export function sessionLead(title: string, minutes: number): string {
  return `${title}, ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

export const NO_HOME = "Wind Down isn't connected to your home yet, so I can't switch the diffuser. The home bridge's set-up guide explains how to connect it.";

/** Hosted mode: said once to someone whose home is not connected. */
export const PAIR_HINT =
  "Your lights aren't connected yet, so this session is voice only. To connect them, run winddown pair on the computer next to your lights, and tell me the code it shows.";
export const PAIRED = 'Your home is connected. Say: Alexa, start wind down, and your lights will breathe along with you.';
export const PAIR_CODE_UNKNOWN = "That code doesn't match a home waiting to pair. Check the nine digits on your computer and try again.";
export const PAIR_CODE_TAKEN = 'That code was just used by someone else, so it no longer works. If that was not someone in your home, run winddown pairings to check, then winddown pair for a new code.';
export const PAIR_BUSY = "Pairing is very busy right now, so I can't check codes. Please try again in a minute.";
export const PAIR_REVOKED = 'Your home has disconnected this Alexa account, so your sessions are voice only. To connect it again, run winddown pair on the computer next to your lights, and tell me the code it shows.';
/** The same, when a command for the home was asked for: nothing was sent. */
export const PAIR_REVOKED_HOME = "Your home has disconnected this Alexa account, so I can't reach it. To connect it again, run winddown pair on the computer next to your lights, and tell me the code it shows.";
export const PAIR_CODE_EXPIRED = 'That code has expired. Run winddown pair again for a new one.';
export const PAIR_NO_CODE = "I didn't catch a nine-digit code. Say, for example: pair with code four eight two, nine one five, three zero seven.";
export const PAIR_NO_CODE_REPROMPT = 'What is the nine-digit code?';
export const PAIR_LOCKED = "That's too many codes that didn't match. Please wait ten minutes, then try again.";
export const PAIR_STATE_UNREADABLE = "I couldn't check your pairing just now, so I didn't try that code. Please try again in a minute.";
export const PAIR_UNREACHABLE = "I couldn't reach your home's pairing just now. Please try again in a moment.";
export const PAIR_PERSONAL = 'This Wind Down is set up for one home by its owner, so there is nothing to pair or forget.';
export const PAIR_UNAVAILABLE = "This Wind Down can't connect to homes, so sessions are voice only.";
export const HOME_FORGOTTEN = "Okay. I've disconnected your home. Your sessions are voice only until you pair again.";
export const NO_HOME_TO_FORGET = "There's no home connected to your account.";
export const NO_HOME_PAIRED_YET = "Your home isn't connected yet, so I can't switch the diffuser. Run winddown pair on the computer next to your lights, and tell me the code it shows.";
