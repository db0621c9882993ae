/**
 * Questions people ask, with short spoken answers in our own words, drawn from the article.
 * Answers stay at four sentences or fewer; any answer that touches on pain carries the same
 * not-medical-advice line.
 */
import { DIFFUSER_OFF_HOW, NOT_MEDICAL_ADVICE } from './phrases';
import type { FaqEntry } from './schema';
import { validFaq } from './validate';
import type * as z from 'zod/mini';

type FaqInput = z.input<typeof FaqEntry>;

const ENTRIES: readonly FaqInput[] = [
  // From the article's own questions.
  {
    id: 'can-it-help',
    topic: 'article',
    question: 'Can mindfulness and relaxation really help with sleep and back pain?',
    alternatives: [
      'does relaxation work for back pain',
      'will mindfulness help me sleep',
      'is relaxation good for insomnia',
      'do these techniques actually work',
      'can meditation help my back',
    ],
    keywords: ['evidence', 'studies', 'insomnia', 'back pain', 'sleep quality', 'benefits'],
    answer: `For many people, yes. Studies suggest these practices can improve sleep quality and ease back pain, though everyone responds a little differently. ${NOT_MEDICAL_ADVICE}`,
  },
  {
    id: 'how-mindfulness-helps',
    topic: 'article',
    question: 'How does mindfulness help with sleep and back pain?',
    alternatives: [
      'why does mindfulness help',
      'how does mindfulness work for sleep',
      'what does mindfulness do for back pain',
      'how can being mindful help me sleep',
    ],
    keywords: ['stress', 'anxiety', 'tension', 'focus', 'worry'],
    answer: `Mindfulness can ease stress and worry, which often make sleep harder and can make pain feel worse. It also steadies your focus, and helps you notice tension in your body and let it go. ${NOT_MEDICAL_ADVICE}`,
  },
  {
    id: 'which-techniques',
    topic: 'article',
    question: 'Which mindfulness techniques help with sleep and back pain?',
    alternatives: [
      'what techniques should I try',
      'what are the best mindfulness exercises for sleep',
      'which exercises help me relax',
      'what kinds of mindfulness are there',
    ],
    keywords: ['meditation', 'body scan', 'deep breathing', 'techniques', 'exercises'],
    answer:
      'Mindfulness meditation, body scans and deep breathing are all good places to start. Each one calms the body and the mind. You can try all three here, just ask for one by name.',
  },
  {
    id: 'how-relaxation-helps',
    topic: 'article',
    question: 'How can relaxation techniques help with sleep and back pain?',
    alternatives: [
      'how does relaxation help',
      'why do relaxation exercises work',
      'what does relaxing do for my body',
      'how does guided imagery help',
    ],
    keywords: ['muscle tension', 'calm', 'guided imagery', 'visualization', 'relaxation response'],
    answer: `Techniques like progressive muscle relaxation and guided imagery loosen tight muscles and bring a sense of calm. That calm can make it easier to fall asleep, and may ease back pain too. ${NOT_MEDICAL_ADVICE}`,
  },
  {
    id: 'need-a-therapist',
    topic: 'article',
    question: 'Do I need to see a therapist to learn these techniques?',
    alternatives: [
      'can I learn this on my own',
      'do I need a professional',
      'should I see a therapist',
      'can I do relaxation without a teacher',
    ],
    keywords: ['therapist', 'professional', 'self help', 'books', 'teacher'],
    answer:
      "No. A therapist can help, but many people learn these techniques on their own, from books, online, or with guided sessions like these. If sleep stays hard, it's worth talking to a professional too.",
  },
  {
    id: 'how-long-until-results',
    topic: 'article',
    question: 'How long does it take to see results?',
    alternatives: [
      'how long until I see results',
      'when will I notice a difference',
      'how soon does relaxation start working',
      'how often should I practice',
      'how long before I sleep better',
    ],
    keywords: ['results', 'weeks', 'days', 'regular practice', 'routine', 'practise'],
    answer:
      'It varies from person to person. Many people notice a difference within days or a few weeks of regular practice. A few minutes every day counts for more than a long session once in a while.',
  },

  // Techniques.
  {
    id: 'what-is-mindfulness',
    topic: 'technique',
    question: 'What is mindfulness?',
    alternatives: ['what does mindfulness mean', 'explain mindfulness', 'what is being mindful', 'define mindfulness'],
    keywords: ['awareness', 'present', 'observe', 'thoughts'],
    answer:
      'Mindfulness means noticing your thoughts, your body and your surroundings, right now, without judging or reacting. You simply observe. A few minutes a day can help you understand your body and mind a little better.',
  },
  {
    id: 'what-is-pmr',
    topic: 'technique',
    question: 'What is progressive muscle relaxation?',
    alternatives: [
      'what is PMR',
      'how does muscle relaxation work',
      'how do I do progressive muscle relaxation',
      'what is tense and release',
    ],
    keywords: ['PMR', 'tense', 'release', 'muscle groups', 'toes to head'],
    answer:
      'You tense one group of muscles for a few seconds as you breathe in, breathing softly while you hold, then let it go completely as you breathe out. You move in order, from your toes up to your head. It eases muscle tension and helps many people fall asleep.',
  },
  {
    id: 'how-long-pmr',
    topic: 'technique',
    question: 'How long does progressive muscle relaxation take?',
    alternatives: [
      'how long is a PMR session',
      'how long should I tense each muscle',
      'how many minutes of muscle relaxation',
      'is a short muscle relaxation enough',
    ],
    keywords: ['minutes', 'seconds', 'duration', 'PMR', 'hold'],
    answer:
      'A full session takes about ten to twenty minutes, but even a few minutes can help. Hold each tense for three to seven seconds, then relax. You can choose a fifteen minute session or a short five minute one.',
  },
  {
    id: 'diaphragmatic-breathing',
    topic: 'technique',
    question: 'How do I do diaphragmatic breathing?',
    alternatives: [
      'what is belly breathing',
      'how do I breathe from my diaphragm',
      'teach me deep breathing',
      'what is breathwork',
      'how should I breathe to relax',
    ],
    keywords: ['diaphragm', 'belly', 'deep breathing', 'exhale', 'breathwork'],
    answer:
      "Lie down or sit comfortably, close your eyes, and rest a hand on your belly. Breathe in slowly so your belly rises, then let a longer breath flow out. A soft ahh as you breathe out can help, and there's no pattern you have to keep.",
  },
  {
    id: 'six-slow-breaths',
    topic: 'technique',
    question: 'What is the ten second breathing cycle?',
    alternatives: [
      'what is six slow breaths',
      'is there a quick breathing exercise',
      'how do I do the ten second breath',
      'what can I do in two minutes',
    ],
    keywords: ['ten seconds', 'six breaths', 'short', 'quick', 'cycle'],
    answer:
      'It is a short practice of six slow breaths, each about ten seconds long, with a long and easy out breath. It takes about two minutes. Ask for six slow breaths to try it.',
  },
  {
    id: 'what-is-body-scan',
    topic: 'technique',
    question: 'What is a body scan?',
    alternatives: [
      'how does a body scan work',
      'what is body scan meditation',
      'how do I scan my body',
      'what happens in a body scan',
    ],
    keywords: ['body scan', 'attention', 'toes to head', 'noticing'],
    answer:
      'In a body scan, you move your attention slowly through your body, usually from your toes to your head. You notice what you feel without judging it, and let tension go where you find it.',
  },
  {
    id: 'mind-wanders',
    topic: 'technique',
    question: 'What if my mind wanders?',
    alternatives: [
      'I keep getting distracted',
      'I cannot stop thinking',
      'my thoughts keep racing',
      'am I doing meditation wrong',
      'what do I do when my mind drifts',
    ],
    keywords: ['wandering', 'distracted', 'thoughts', 'focus', 'racing mind'],
    answer:
      "That's completely normal, and it happens to everyone. Don't be hard on yourself. When you notice it, gently bring your attention back, and carry on.",
  },
  {
    id: 'what-is-guided-meditation',
    topic: 'technique',
    question: 'What is guided meditation?',
    alternatives: [
      'how does guided meditation work',
      'how do I meditate',
      'what is a guided relaxation',
      'how do I follow a meditation',
      'what is guided imagery',
      'what is visualization',
    ],
    keywords: ['meditation', 'guided', 'visualization', 'imagery', 'sunset', 'flowers', 'listen'],
    answer:
      'You follow a calm voice that guides your attention, sometimes with a scene to picture, like a sunset or a field of flowers. Get comfortable, close your eyes, listen, and match your breathing to the words. It can ease stress and help you sleep. Ask for guided imagery to try a scene.',
  },
  {
    id: 'what-is-mbsr',
    topic: 'technique',
    question: 'What is MBSR?',
    alternatives: [
      'what is mindfulness based stress reduction',
      'what does MBSR stand for',
      'does MBSR help back pain',
      'tell me about mindfulness stress reduction',
    ],
    keywords: ['MBSR', 'stress reduction', 'yoga', 'acceptance', 'curiosity'],
    answer: `MBSR stands for mindfulness based stress reduction. It brings together meditation, gentle yoga and body scans, and invites you to meet your experience with acceptance and curiosity. Studies suggest it may help with back pain and sleep. ${NOT_MEDICAL_ADVICE}`,
  },
  {
    id: 'does-yoga-help',
    topic: 'technique',
    question: 'Does yoga help with sleep and back pain?',
    alternatives: [
      'is yoga good for back pain',
      'should I do yoga before bed',
      'can yoga help me sleep',
      'how much yoga should I do',
    ],
    keywords: ['yoga', 'posture', 'stretching', 'flexibility', 'core'],
    answer: `It can. Yoga joins gentle postures with breathing, and can improve your posture, strength and flexibility. One small study found that people who kept their attention mindfully on the poses had less lower back pain after four weeks than people who did the same poses without that focus. ${NOT_MEDICAL_ADVICE}`,
  },
  {
    id: 'does-massage-help',
    topic: 'technique',
    question: 'Does massage help with sleep and back pain?',
    alternatives: [
      'is massage good for back pain',
      'should I get a massage',
      'can a massage help me sleep',
      'what does massage do',
    ],
    keywords: ['massage', 'practitioner', 'knots', 'tension'],
    answer: `Massage can ease tension, loosen tight muscles and leave you with a sense of wellbeing. Some people with sleep trouble and back pain find regular massage helps, alongside exercise, good food and other ways of easing stress. ${NOT_MEDICAL_ADVICE}`,
  },
  {
    id: 'best-time-to-practice',
    topic: 'technique',
    question: 'When is the best time to practice?',
    alternatives: [
      'should I do this at night',
      'when should I relax',
      'is bedtime a good time to meditate',
      'what time of day should I practice',
    ],
    keywords: ['bedtime', 'evening', 'morning', 'routine', 'habit'],
    answer:
      'The start or the end of the day both work well, and ten to fifteen minutes is plenty. At bedtime, a short practice helps your body settle and calms your mind for sleep.',
  },
  {
    id: 'which-is-best-for-me',
    topic: 'technique',
    question: 'Which technique is best for me?',
    alternatives: [
      'which session should I choose',
      'what should I try first',
      'which one works best',
      'I am not sure which to pick',
    ],
    keywords: ['choose', 'best', 'recommend', 'first time', 'beginner'],
    answer:
      "Everyone responds differently, so try a few and keep what feels right. If your body feels tense, muscle relaxation is a good start. If your mind is busy, try a body scan or a meditation. Paced breathing suits almost any night.",
  },

  {
    id: 'anxious-at-night',
    topic: 'technique',
    question: 'What can I do when I feel anxious at bedtime?',
    alternatives: [
      'I feel anxious',
      'I am too stressed to sleep',
      'I feel overwhelmed at night',
      'how do I calm down when I am worried',
      'what helps with anxiety at night',
    ],
    keywords: ['anxious', 'anxiety', 'stressed', 'overwhelmed', 'worried', 'calm down', 'restless'],
    answer:
      "Slow breathing with a long out breath, or tensing and releasing your muscles, can help you settle when you feel anxious or overwhelmed. Try six slow breaths, or paced breathing. If anxiety is hard to live with, please talk to a doctor.",
  },
  {
    id: 'what-is-paced-breathing',
    topic: 'technique',
    question: 'What is paced breathing?',
    alternatives: [
      'what is slow breathing',
      'how does paced breathing work',
      'why breathe slowly',
      'what does paced breathing do',
    ],
    keywords: ['paced', 'slow breathing', 'breaths a minute', 'pace', 'rhythm'],
    answer:
      "Paced breathing means breathing slowly and steadily, with an out breath a little longer than the in breath. In Wind Down's session, the pace starts at about ten breaths a minute and slows toward six. Ask for paced breathing to try it.",
  },
  {
    id: 'what-is-autogenic',
    topic: 'technique',
    question: 'What is autogenic training?',
    alternatives: [
      'how does autogenic training work',
      'what is autogenic relaxation',
      'what are autogenic phrases',
      'how do I do autogenic training',
    ],
    keywords: ['autogenic', 'heavy', 'heaviness', 'warm', 'warmth', 'phrases'],
    answer:
      'In autogenic training, you silently repeat simple phrases, like my arms are heavy, or my arms are warm, and let your body respond in its own time. There is nothing to force. Ask for autogenic training to try it.',
  },
  {
    id: 'back-stretches',
    topic: 'technique',
    question: 'Are there gentle stretches for my back at bedtime?',
    alternatives: [
      'what stretches can I do in bed',
      'how do I stretch my back before sleep',
      'stretches for lower back in bed',
      'can I stretch my back lying down',
      'how many minutes of stretching at night',
    ],
    keywords: ['stretch', 'stretches', 'stretching', 'knees to chest', 'pelvic tilt', 'twist', 'minutes', 'tingling', 'osteoporosis'],
    // NHS, "Back pain" and "Exercises for back pain" (https://www.nhs.uk/live-well/exercise/): gentle
    // movement, stop if it hurts; NHS, "Sciatica": pain down the leg is a reason to stop.
    answer: `Yes: gentle back stretches, one knee at a time to your chest, a pelvic tilt and a lying twist, in five to ten minutes. Stop if pain travels down your leg or you feel tingling, and with osteoporosis or after spine or hip surgery, ask your doctor first. ${NOT_MEDICAL_ADVICE}`,
  },
  {
    id: 'sleep-position-back-pain',
    topic: 'technique',
    question: 'What is a good sleeping position with back pain?',
    alternatives: [
      'how should I sleep with back pain',
      'what position should I sleep in for my back',
      'is it better to sleep on my side or my back',
      'how do I lie in bed with a sore back',
    ],
    keywords: ['position', 'sleeping position', 'side', 'lying', 'posture'],
    answer: `Many people with back pain find it easier on their side with a pillow between their knees, or on their back with a pillow under their knees. Choose whatever eases your back, and change position whenever you need to. ${NOT_MEDICAL_ADVICE}`,
  },
  {
    id: 'waking-at-night',
    topic: 'technique',
    question: 'What should I do if I wake up in the night?',
    alternatives: [
      'I woke up and cannot get back to sleep',
      'why do I wake up at night',
      'I keep waking at night',
      'what if I wake at three in the morning',
      'I am wide awake at two in the morning',
      'what should I do in the middle of the night',
    ],
    keywords: ['waking', 'wake', 'woke', 'middle of the night', 'awake'],
    answer:
      "Waking in the night is common. Keep the room dark, keep your eyes closed, and breathe slowly, with a long out breath. You can also say, Alexa, ask wind down to help me get back to sleep. It's short and quiet, and keeps the room dark.",
  },
  {
    // NHS, "Breathing exercises for stress" (https://www.nhs.uk/mental-health/self-help/guides-tools-and-activities/breathing-exercises-for-stress/).
    id: 'long-exhale',
    topic: 'technique',
    question: 'Why breathe out for longer than you breathe in?',
    alternatives: [
      'why is the out breath longer',
      'why breathe out slowly',
      'does breathing slowly calm you down',
      'why does a long exhale help',
    ],
    keywords: ['longer', 'calm', 'heart rate'],
    answer:
      'A long, slow out breath tells your body it can settle: your heart rate eases a little each time you breathe out, and your breathing slows with it. That is why the sessions here let the out breath run longer than the in breath.',
  },
  {
    id: 'screens-before-bed',
    topic: 'technique',
    question: 'Should I look at screens before bed?',
    alternatives: [
      'is my phone keeping me awake',
      'can I watch tv before sleep',
      'should I stop using my phone at night',
      'what is a digital detox',
    ],
    keywords: ['screens', 'screen', 'phone', 'tablet', 'tv', 'digital detox'],
    answer:
      'Screens keep your eyes and your mind busy, and bright light late in the evening can make it harder to wind down. Try putting them away a little before bed, and use that time for a short practice instead. Wind Down needs nothing to look at.',
  },

  // Aromatherapy.
  {
    id: 'what-is-aromatherapy',
    topic: 'aromatherapy',
    question: 'What is aromatherapy?',
    alternatives: ['what are essential oils', 'explain aromatherapy', 'tell me about aromatherapy', 'what is an essential oil'],
    keywords: ['aromatherapy', 'essential oils', 'scent', 'plant oils'],
    answer:
      'Aromatherapy is an old tradition of using fragrant plant oils, called essential oils, to help you relax. You breathe in the scent from a diffuser, or use the oil, diluted, for massage.',
  },
  {
    id: 'which-oils',
    topic: 'aromatherapy',
    question: 'Which essential oils help with sleep?',
    alternatives: [
      'what oil should I use',
      'which scent is best for sleep',
      'is lavender good for sleep',
      'what essential oils are relaxing',
      'what should I put in my diffuser',
    ],
    keywords: ['lavender', 'eucalyptus', 'chamomile', 'ylang-ylang', 'scent', 'oils'],
    // Healthdirect, "Essential oils" (https://www.healthdirect.gov.au/essential-oils): eucalyptus and
    // peppermint are not for young children; Epilepsy Society: eucalyptus is among the oils thought to
    // trigger seizures.
    answer: `Lavender, chamomile and ylang-ylang are common calming oils. Eucalyptus and peppermint are sharp, not for a room where a young child sleeps, and not with epilepsy unless a doctor agrees. The evidence is limited: a pleasant extra. ${DIFFUSER_OFF_HOW}`,
  },
  {
    id: 'dilute-oils',
    topic: 'aromatherapy',
    question: 'How do I use essential oils on my skin?',
    alternatives: [
      'can I put essential oil on my skin',
      'do I need to dilute essential oils',
      'do I mix it with something before putting it on my skin',
      'what is a carrier oil',
      'how do I use oils for massage',
    ],
    keywords: ['dilute', 'carrier oil', 'olive oil', 'sunflower oil', 'skin', 'massage', 'neat', 'mix'],
    answer:
      "Always dilute them first in a carrier oil, such as olive or sunflower oil, and never use them neat on your skin. Almond oil is a nut oil, so skip it with a nut allergy. Try a small patch of skin first, and if it gets irritated, wash the oil off.",
  },
  {
    id: 'using-a-diffuser',
    topic: 'aromatherapy',
    question: 'How do I use an aroma diffuser?',
    alternatives: [
      'how much oil goes in the diffuser',
      'how do I use a diffuser for sleep',
      'how do I fill my diffuser',
      'how long should the diffuser run',
    ],
    keywords: ['diffuser', 'drops', 'candle warmer', 'atmosphere', 'room'],
    answer:
      'Add a few drops of oil, following your diffuser instructions, and let the scent fill the room as you wind down. If your diffuser is on a smart plug, I can switch it on at your bedtime, and it goes off again by itself after thirty minutes, or the time set for your home.',
  },
  {
    id: 'does-aromatherapy-work',
    topic: 'aromatherapy',
    question: 'Does aromatherapy really work?',
    alternatives: [
      'is aromatherapy proven',
      'does aromatherapy help back pain',
      'is there evidence for essential oils',
      'do essential oils actually help sleep',
    ],
    keywords: ['evidence', 'research', 'proof', 'studies', 'aromatherapy'],
    answer: `Many people find a calming scent helps them relax, and some small studies suggest it may help with stress, sleep and even back pain. The evidence is limited, so think of it as a gentle extra. ${NOT_MEDICAL_ADVICE}`,
  },

  // Safety. The words of each answer are checked against the page cited beside it. Anything said in
  // a question that is an emergency or a crisis never reaches these: src/safety/triage.ts answers it
  // first, with the listener's own emergency number.
  {
    // NHS, "Cauda equina syndrome" (https://www.nhs.uk/conditions/cauda-equina-syndrome/) and "Back
    // pain" (https://www.nhs.uk/conditions/back-pain/): these signs need A&E or 999 at once.
    id: 'back-pain-emergency',
    topic: 'safety',
    question: 'When is back pain an emergency?',
    alternatives: [
      'what are the emergency signs with back pain',
      'when should I call an ambulance for my back',
      'what back pain symptoms are warning signs',
      'when is back pain urgent',
    ],
    keywords: ['emergency', 'ambulance', 'urgent'],
    answer: `Call emergency services now if back pain comes with numbness between your legs or around your bottom, new trouble peeing, loss of bladder or bowel control, numbness or weakness in both legs, or chest pain, or began after a serious fall or accident. Don't wait. ${NOT_MEDICAL_ADVICE}`,
  },
  {
    // NHS, "Back pain" (https://www.nhs.uk/conditions/back-pain/): see a GP with these.
    id: 'back-pain-red-flags',
    topic: 'safety',
    question: 'When should I see a doctor about back pain?',
    alternatives: [
      'should I see a doctor about my back',
      'is my back pain serious',
      'my leg is numb and my back hurts',
      'back pain with a fever',
      'what are the red flags for back pain',
      'my back has hurt for weeks',
    ],
    keywords: ['numb', 'weakness', 'GP', 'red flags'],
    answer: `See a doctor soon if back pain comes with a fever, weight loss you can't explain, pain that's worse at night or at rest, a past cancer, or a numb leg, or lasts weeks. Bladder or bowel trouble is an emergency: call for help now. ${NOT_MEDICAL_ADVICE}`,
  },
  {
    // NHS, "Back pain": keep moving gently, and stop what makes it worse; NHS, "Sciatica"
    // (https://www.nhs.uk/conditions/sciatica/): pain down the leg or tingling is a reason to stop.
    id: 'pmr-safe-back-pain',
    topic: 'safety',
    question: 'Is progressive muscle relaxation safe with back pain?',
    alternatives: [
      'can I do PMR with a bad back',
      'will tensing my muscles hurt my back',
      'is muscle relaxation ok for back pain',
      'is PMR safe for my back',
      'are the stretches safe with osteoporosis',
      'can I do this after a hip replacement',
    ],
    keywords: ['safe', 'bad back', 'strain', 'osteoporosis', 'surgery', 'operation', 'slipped disc'],
    answer: `Go gently: back friendly relaxation uses half your strength and lets you skip what hurts. With osteoporosis, or after spine or hip surgery, ask your doctor first, and stop if pain travels down your leg or you feel tingling. ${NOT_MEDICAL_ADVICE}`,
  },
  {
    // NHS, "Pregnancy and complementary therapies" (https://www.nhs.uk/pregnancy/keeping-well/):
    // check with a midwife, doctor or pharmacist before using aromatherapy oils in pregnancy.
    id: 'oils-pregnancy',
    topic: 'safety',
    question: 'Can I use essential oils when I am pregnant?',
    alternatives: [
      'are essential oils safe in pregnancy',
      'can I use the diffuser while pregnant',
      'are essential oils safe when breastfeeding',
      'which oils should I avoid when pregnant',
      'I am expecting a baby can I use the diffuser',
      'is aromatherapy ok while expecting',
    ],
    keywords: ['pregnancy', 'midwife'],
    answer: `Please ask your midwife, doctor or pharmacist before using essential oils while you're pregnant or breastfeeding, and don't put them on your skin until they say it's fine. The sessions work just as well without the diffuser. ${DIFFUSER_OFF_HOW}`,
  },
  {
    // NHS, "Baby sleep" guidance keeps a baby's room clear of smoke and irritants; Healthdirect,
    // "Essential oils" (https://www.healthdirect.gov.au/essential-oils): eucalyptus and peppermint are
    // not for young children, and oils can be poisonous to them.
    id: 'oils-children',
    topic: 'safety',
    question: 'Are essential oils safe around babies and children?',
    alternatives: [
      'can I use a diffuser in my baby room',
      'are essential oils safe for kids',
      'can I diffuse oils around my children',
      'my baby sleeps in our room can I use the diffuser',
      'is eucalyptus safe for children',
    ],
    keywords: ['children', 'eucalyptus', 'same room'],
    answer: `Don't diffuse in a room where a baby or young child sleeps, and that includes your own bedroom if your baby sleeps there. Eucalyptus and peppermint are not for young children at all. Keep bottles closed and well out of reach. ${DIFFUSER_OFF_HOW}`,
  },
  {
    // ASPCA Animal Poison Control, "Essential oils and pets" (https://www.aspca.org/news/essential-oils-and-cats)
    // and the Pet Poison Helpline: cats take in oil by grooming it off their fur; birds' lungs are
    // sensitive; the signs are drooling, vomiting, wobbliness and laboured breathing.
    id: 'oils-pets',
    topic: 'safety',
    question: 'Are essential oils safe for cats and dogs?',
    alternatives: [
      'is the diffuser safe for my cat',
      'can I use essential oils around my dog',
      'are essential oils bad for pets',
      'is lavender safe for cats',
      'is the diffuser ok with my bird',
      'my cat sleeps on my bed',
    ],
    keywords: ['pets', 'vet', 'grooming', 'same room'],
    answer: `Don't diffuse where a cat, bird or small pet sleeps: they breathe the oil in, and cats lick it off their fur. Drooling, vomiting, wobbliness or laboured breathing are signs of trouble: air the room and call your vet. ${DIFFUSER_OFF_HOW}`,
  },
  {
    // Asthma + Lung UK, "Asthma triggers: smells and fumes" (https://www.asthmaandlung.org.uk/):
    // strong scents, including essential oils, can trigger symptoms.
    id: 'oils-asthma',
    topic: 'safety',
    question: 'Can I use a diffuser if I have asthma?',
    alternatives: [
      'are essential oils safe with asthma',
      'can scents trigger asthma',
      'the diffuser makes me cough',
      'are oils ok for my breathing problems',
    ],
    keywords: ['asthma', 'cough', 'lungs'],
    answer: `Strong scents can trouble some people with asthma or other breathing problems. Ask your doctor first, and if you cough or wheeze, turn the diffuser off and air the room. Every session works without it. ${DIFFUSER_OFF_HOW}`,
  },
  {
    // Epilepsy Society, "Aromatherapy" (https://epilepsysociety.org.uk/living-epilepsy/wellbeing/complementary-therapies):
    // some oils, such as rosemary, fennel, sage and eucalyptus, are thought to trigger seizures.
    id: 'oils-epilepsy',
    topic: 'safety',
    question: 'Can I use essential oils if I have epilepsy?',
    alternatives: [
      'are essential oils safe with epilepsy',
      'can essential oils cause seizures',
      'can a diffuser trigger a seizure',
      'I have fits can I use the diffuser',
    ],
    keywords: ['seizures', 'fennel'],
    answer: `If you have epilepsy, ask your doctor before using essential oils: some, such as rosemary, fennel, sage and eucalyptus, are known to trigger seizures in some people. The sessions work just as well without them. ${DIFFUSER_OFF_HOW}`,
  },
  {
    // Anaphylaxis UK, "Tree nut allergy" (https://www.anaphylaxis.org.uk/): almond is a tree nut, and
    // almond oil in skin products can cause reactions.
    id: 'oils-nut-allergy',
    topic: 'safety',
    question: 'Can I use almond oil if I have a nut allergy?',
    alternatives: [
      'I am allergic to nuts which carrier oil can I use',
      'is sweet almond oil safe with a nut allergy',
      'which carrier oil has no nuts',
    ],
    keywords: ['almond', 'nut allergy', 'carrier oil'],
    answer: `Almond oil is a nut oil, so with a nut allergy, use another carrier, such as sunflower or olive oil, and ask a pharmacist if you're not sure. ${DIFFUSER_OFF_HOW}`,
  },
  {
    id: 'patch-test',
    topic: 'safety',
    question: 'How do I patch test an essential oil?',
    alternatives: [
      'what is a patch test',
      'how do I know if I am allergic to an oil',
      'should I test an oil on my skin first',
      'my skin reacted to an essential oil',
    ],
    keywords: ['patch test', 'allergic', 'allergy', 'rash', 'reaction', 'sensitive skin'],
    answer: `Dilute the oil in a carrier oil, such as olive or sunflower oil, and put a little on a small patch of skin, like the inside of your arm. Wait a day. If you see redness, itching or swelling, wash it off and don't use that oil.`,
  },
  {
    // NHS, "Poisoning" (https://www.nhs.uk/conditions/poisoning/): get help at once if someone
    // swallows something harmful; essential oils are among them.
    id: 'swallow-oils',
    topic: 'safety',
    question: 'Can I swallow essential oils?',
    alternatives: [
      'can I drink essential oils',
      'can I put essential oil in my tea',
      'are essential oils safe to eat',
      'someone swallowed essential oil',
      'can I take essential oils by mouth',
    ],
    keywords: ['swallow', 'poison'],
    answer: `No: never swallow essential oils, or add them to food or drinks. Keep bottles closed and out of reach of children and pets. If someone swallows some, call a doctor or your local poison service straight away. ${DIFFUSER_OFF_HOW}`,
  },
  {
    id: 'candle-warmer',
    topic: 'safety',
    question: 'Is it safe to use a candle warmer?',
    alternatives: [
      'can I use a candle warmer',
      'can I leave an oil burner on overnight',
      'is an oil burner safe at night',
      'can I fall asleep with a candle lit',
    ],
    keywords: ['candle', 'candle warmer', 'oil burner', 'flame', 'tea light', 'fire'],
    answer: `Never leave a candle warmer or any flame unattended, and never fall asleep with one lit. At bedtime, an electric diffuser that switches itself off is a safer choice. ${DIFFUSER_OFF_HOW}`,
  },

  // The skill itself.
  {
    id: 'what-sessions',
    topic: 'skill',
    question: 'What sessions are there?',
    alternatives: [
      'what can I do',
      'what sessions do you have',
      'list the sessions',
      'what relaxation exercises are there',
      'what can wind down do',
    ],
    keywords: ['sessions', 'options', 'menu', 'choices', 'exercises'],
    answer:
      'You can choose paced breathing, six slow breaths, progressive muscle relaxation, short muscle relaxation, back friendly relaxation, gentle back stretches, a body scan, a breath awareness meditation, guided imagery, autogenic training, or back to sleep, for the middle of the night. Just ask for one by name.',
  },
  {
    id: 'session-length',
    topic: 'skill',
    question: 'Can I choose how long a session lasts?',
    alternatives: [
      'can I do a shorter session',
      'how long are the sessions',
      'can I make it longer',
      'I want ten minutes',
      'how long is a body scan',
      'how long is a session',
    ],
    keywords: ['length', 'minutes', 'shorter', 'longer', 'duration'],
    answer:
      'Yes. Most sessions come in a few lengths, from five to thirty minutes. Just say the length you want, like ten minutes of paced breathing.',
  },
  {
    id: 'what-do-lights-do',
    topic: 'skill',
    question: 'What do the lights do?',
    alternatives: [
      'why are my lights changing',
      'how do the lights work',
      'why do the lights get brighter and dimmer',
      'do the lights turn off at the end',
      'what are the lights for',
    ],
    keywords: ['lights', 'Hue', 'brightness', 'dim', 'lamp', 'bulbs'],
    answer:
      'During a session, your lights breathe with you. They brighten gently as you breathe in, and dim as you breathe out. At the end of a sleep session they fade out, and after a short session they go back to how they were.',
  },
  {
    id: 'diffuser-control',
    topic: 'skill',
    question: 'How does the diffuser work with Wind Down?',
    alternatives: [
      'how do I turn off the diffuser',
      'when does the diffuser turn on',
      'will the diffuser stay on all night',
      'how many minutes is the diffuser on',
    ],
    keywords: ['diffuser', 'smart plug', 'timer', 'aroma'],
    answer:
      "Your diffuser turns on at your bedtime, and turns itself off after thirty minutes, or the time set for your home, so it isn't left running all night. You can also say, turn on the diffuser, or, turn off the diffuser, whenever you like. To have your sessions and your bedtime without it, say: don't use the diffuser.",
  },
  {
    id: 'set-bedtime',
    topic: 'skill',
    question: 'How do I set my bedtime?',
    alternatives: [
      'set my bedtime',
      'change my bedtime',
      'when is my bedtime',
      'what time is my bedtime',
    ],
    keywords: ['bedtime', 'schedule', 'time', 'reminder'],
    answer:
      'Say, set my bedtime to ten thirty p.m., or whatever time suits you. To check it, ask, when is my bedtime. Your diffuser follows the same time. For a daily reminder, say: remind me to wind down at ten p.m.',
  },
  {
    id: 'sessions-without-diffuser',
    topic: 'skill',
    question: 'Can I have my sessions without the diffuser?',
    alternatives: [
      'I do not want the diffuser',
      'can I skip the diffuser',
      'do I need a diffuser',
      'can the sessions play without the oils',
    ],
    keywords: ['without', 'skip', 'sessions'],
    answer:
      "Yes. Every session works just as well without the diffuser. To keep it off with your sessions and at bedtime, say: don't use the diffuser. To have it back, say: use the diffuser with my sessions.",
  },
  {
    id: 'connect-home',
    topic: 'skill',
    question: 'How do I connect my home and lights?',
    alternatives: [
      'how do I connect my lights',
      'how do I pair my home',
      'how do I link my Hue lights',
      'how do I set up the bridge',
    ],
    keywords: ['connect', 'code', 'bridge', 'Hue'],
    answer:
      'On the computer next to your lights, run winddown pair. It shows a nine-digit code. Then say: Alexa, tell wind down to pair with code, and the nine digits. Until then, every session plays, voice only.',
  },
  {
    id: 'stop-pause-continue',
    topic: 'skill',
    question: 'How do I stop or pause a session?',
    alternatives: [
      'how do I end a session',
      'stop the session',
      'how do I pick up where I left off',
      'can I pause',
      'how do I continue',
    ],
    keywords: ['stop', 'pause', 'continue', 'resume', 'cancel', 'end'],
    answer:
      'Say stop to end a session, or pause to take a break, and resume to pick it up where it stopped. A sleep session plays to its end and never asks you anything. A longer session that ends awake may stop between parts, and continue goes on.',
  },
  {
    id: 'fall-asleep-during',
    topic: 'skill',
    question: 'What happens if I fall asleep during a session?',
    alternatives: [
      'what if I fall asleep',
      'will it wake me up at the end',
      'what happens at the end of a session',
      'does it keep talking if I sleep',
    ],
    keywords: ['asleep', 'end', 'fade', 'silence'],
    answer:
      "That's the idea. A sleep session ends in silence, the lights fade out, and nothing wakes you or asks you a question.",
  },
  {
    id: 'is-it-medical',
    topic: 'skill',
    question: 'Is this medical advice?',
    alternatives: [
      'is this a medical treatment',
      'can this replace my doctor',
      'is wind down a therapy',
    ],
    keywords: ['medical', 'doctor', 'treatment', 'therapy', 'disclaimer'],
    answer:
      "No. Wind Down is here to help you relax and sleep, and it isn't medical advice. If you have pain that persists, or ongoing trouble sleeping, please see a doctor.",
  },
];

/** All FAQ entries, validated when this module loads (by the build, for the Lambda). */
export const FAQ: readonly FaqEntry[] = validFaq(ENTRIES);

const BY_ID: ReadonlyMap<string, FaqEntry> = new Map(FAQ.map((e) => [e.id, e]));

/** The entry with this id, or undefined. */
export function faqById(id: string): FaqEntry | undefined {
  return BY_ID.get(id);
}
