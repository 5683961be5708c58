"""The words of the demo site: conditions treated, clinic pages, testimonials, the guide.

Written for patients: plain language, short paragraphs, honest about when to see a doctor.
"""

SEE_A_DOCTOR = (
    "<h2>When to see a doctor first</h2>"
    "<p>Call your doctor or go to urgent care straight away if you have numbness around your "
    "groin or buttocks, new trouble controlling your bladder or bowels, weakness that is getting "
    "worse, a fever with your pain, or pain after a fall or accident. These are rare, but they "
    "need a medical check before physical therapy.</p>"
)

SERVICES = [
    {
        "title": "Low back pain",
        "slug": "low-back-pain",
        "summary": "Aching, stiffness or sharp pain in the lower back that makes sitting, "
        "bending or sleeping hard.",
        "body": (
            "<p>Low back pain is one of the most common reasons people visit us, and most "
            "episodes get much better within a few weeks. The right movement, at the right "
            "dose, speeds that up and makes the next flare-up less likely.</p>"
            "<h2>What it can feel like</h2>"
            "<ul><li>A dull ache across the lower back, often worse in the morning</li>"
            "<li>Sharp catches when you bend, lift or get out of a chair</li>"
            "<li>Stiffness after sitting for a long time, or after a long drive</li></ul>"
            "<h2>How we help</h2>"
            "<p>Your first visit is a conversation and a careful examination. We look at how "
            "you move, what eases your pain and what makes it worse. Then we agree a plan "
            "that may include hands-on treatment to calm the pain, simple exercises you can "
            "do at home, and advice on work, sleep and staying active.</p>"
            "<p>Most people need between four and eight visits. You leave every session "
            "knowing exactly what to do until the next one.</p>"
        )
        + SEE_A_DOCTOR,
    },
    {
        "title": "Sciatica",
        "slug": "sciatica",
        "summary": "Pain, tingling or numbness that travels from the lower back or buttock "
        "down one leg.",
        "body": (
            "<p>Sciatica describes pain that follows the sciatic nerve, from the lower back "
            "through the buttock and down the leg, sometimes as far as the foot. It usually "
            "happens when a nearby disc or joint irritates the nerve. It can be very painful, "
            "but most people recover well without surgery.</p>"
            "<h2>What it can feel like</h2>"
            "<ul><li>Burning or shooting pain down the back of one leg</li>"
            "<li>Pins and needles or numbness in the leg or foot</li>"
            "<li>Pain that is worse when sitting, coughing or sneezing</li></ul>"
            "<h2>How we help</h2>"
            "<p>We find the positions and movements that take pressure off the nerve, and "
            "teach you how to use them through the day. Gentle nerve-gliding exercises, "
            "hands-on treatment and a gradual return to walking and lifting follow as the "
            "leg pain settles.</p>"
            "<p>We keep an eye on strength and feeling in your leg at every visit, and we "
            "work with your doctor if anything needs a closer look.</p>"
        )
        + SEE_A_DOCTOR,
    },
    {
        "title": "Hip pain",
        "slug": "hip-pain",
        "summary": "Pain in the groin, the side of the hip or the buttock when walking, "
        "climbing stairs or lying on your side.",
        "body": (
            "<p>Hip pain has many causes: irritated tendons on the side of the hip, early "
            "osteoarthritis, a stiff joint after a long period of sitting, or pain referred "
            "from the lower back. Finding the true source is the first step.</p>"
            "<h2>What it can feel like</h2>"
            "<ul><li>Pain on the outside of the hip when lying on that side at night</li>"
            "<li>A deep ache in the groin when walking or putting on socks</li>"
            "<li>Stiffness getting out of the car</li></ul>"
            "<h2>How we help</h2>"
            "<p>We test how your hip moves and how strong the muscles around it are. "
            "Treatment usually combines strengthening of the hip and thigh muscles, advice "
            "on how to sleep and sit comfortably, and a walking plan that builds up week by "
            "week. For hip osteoarthritis, exercise is the most effective treatment we know "
            "of, and it often delays or avoids surgery.</p>"
        ),
    },
    {
        "title": "SI joint dysfunction",
        "slug": "si-joint-dysfunction",
        "summary": "Pain low in the back, on one side, just beside the dimple at the top of "
        "the buttock.",
        "body": (
            "<p>The sacroiliac (SI) joints connect your spine to your pelvis. They move only "
            "a little, but they take a lot of load. When the muscles and ligaments around "
            "them are irritated, the result is pain on one side of the lower back and "
            "buttock. It is common during and after pregnancy, and after falls onto the "
            "bottom.</p>"
            "<h2>What it can feel like</h2>"
            "<ul><li>Pain on one side, over the dimple at the top of the buttock</li>"
            "<li>Pain when standing on one leg, climbing stairs or turning in bed</li>"
            "<li>Discomfort after sitting on one side, or crossing your legs</li></ul>"
            "<h2>How we help</h2>"
            "<p>We confirm that the pain comes from the SI joint, which takes a handful of "
            "simple tests. Treatment then focuses on strengthening the muscles that support "
            "the pelvis, easing the painful movements, and sometimes a short-term support "
            "belt. Most people feel a clear difference within a few weeks.</p>"
        ),
    },
    {
        "title": "Knee pain",
        "slug": "knee-pain",
        "summary": "Pain around or behind the kneecap, swelling, or a knee that feels weak "
        "on stairs and slopes.",
        "body": (
            "<p>Knees carry us through every step, so when they hurt, everything is harder. "
            "Common reasons are pain around the kneecap, osteoarthritis, and recovery after "
            "a sprain or knee surgery.</p>"
            "<h2>What it can feel like</h2>"
            "<ul><li>Aching around the kneecap when sitting with bent knees or using "
            "stairs</li><li>Swelling or stiffness after activity</li>"
            "<li>A knee that gives way or does not feel trustworthy</li></ul>"
            "<h2>How we help</h2>"
            "<p>Strong thigh and hip muscles protect the knee, so strengthening is at the "
            "heart of most of our knee plans. We adjust your activity so you can keep moving "
            "while the knee settles, and we build you back up to the things you love, from "
            "gardening to running.</p>"
            "<p>After knee surgery, we work with your surgeon's guidelines from the first "
            "week.</p>"
        ),
    },
    {
        "title": "Neck pain",
        "slug": "neck-pain",
        "summary": "A stiff, sore neck, often with headaches or pain spreading to the "
        "shoulder blades.",
        "body": (
            "<p>Neck pain often builds up slowly, from long hours at a screen, poor sleep or "
            "stress, and sometimes starts suddenly after an awkward movement. The good news: "
            "most neck pain responds well to movement and simple changes.</p>"
            "<h2>What it can feel like</h2>"
            "<ul><li>Stiffness turning your head, for example when driving</li>"
            "<li>Headaches that start at the base of the skull</li>"
            "<li>Aching across the shoulders and between the shoulder blades</li></ul>"
            "<h2>How we help</h2>"
            "<p>Gentle hands-on treatment eases the stiffness, and a short set of exercises "
            "restores movement and builds endurance in the neck and shoulder muscles. We "
            "also look at your workstation and sleeping position with you.</p>"
            "<p>If you have pain or pins and needles down one arm, tell us: we check the "
            "nerves of the arm at your first visit.</p>"
        ),
    },
    {
        "title": "Shoulder pain",
        "slug": "shoulder-pain",
        "summary": "Pain lifting the arm, reaching behind your back or lying on the "
        "shoulder at night.",
        "body": (
            "<p>The shoulder is the most mobile joint in the body, which also makes it easy "
            "to strain. Irritated rotator cuff tendons and frozen shoulder are the problems "
            "we see most.</p>"
            "<h2>What it can feel like</h2>"
            "<ul><li>Pain on the outside of the upper arm when lifting it</li>"
            "<li>Difficulty reaching a high shelf, or fastening clothes behind you</li>"
            "<li>Pain that wakes you when you roll onto that side</li></ul>"
            "<h2>How we help</h2>"
            "<p>A graded strengthening programme is the best-supported treatment for most "
            "shoulder pain. We start where your shoulder is comfortable today and build up "
            "steadily, with hands-on treatment to ease pain along the way.</p>"
        ),
    },
]

# Words in an article's title that make it a good read for a condition's page.
SERVICE_ARTICLE_KEYWORDS = {
    "low-back-pain": ["back"],
    "sciatica": ["sciatica"],
    "hip-pain": ["hip"],
    "si-joint-dysfunction": ["sacroiliac", "si joint"],
    "knee-pain": ["knee"],
    "neck-pain": ["neck"],
    "shoulder-pain": ["shoulder"],
}

# The article topics (blog categories) each condition lists the newest articles of.
SERVICE_TOPICS = {
    "low-back-pain": ["Back pain"],
    "sciatica": ["Sciatica"],
    "hip-pain": ["Hip pain"],
    "si-joint-dysfunction": ["Back pain", "Hip pain"],
    "knee-pain": ["Knee pain"],
    "neck-pain": ["Neck & posture"],
    "shoulder-pain": ["Neck & posture"],
}

TEAM_INTRO = (
    "<p>Every patient has one therapist who knows their story from the first visit to the "
    "last. We meet every week to discuss complex cases, so you also benefit from the whole "
    "team's experience.</p>"
)

CONTACT_INTRO = (
    "<p>Our front desk answers the phone from 7 am on weekdays. If we miss your call, leave a "
    "message and we will call you back the same day.</p>"
)

ABOUT_BODY = (
    "<p>Harbor Physical Therapy is an independent clinic, owned and run by the physical "
    "therapists who treat you. We opened our doors in 2011 with a simple idea: give every "
    "patient enough time, a clear explanation and a plan they can follow at home.</p>"
    "<h2>What to expect</h2>"
    "<p>Your first visit lasts about an hour. We listen to your story, examine how you move "
    "and explain what we find in plain words. You leave with a plan, a few exercises and an "
    "honest estimate of how many visits you may need.</p>"
    "<p>Follow-up visits last 45 minutes, one to one with your therapist. No double-booking, "
    "no handing you over to an assistant.</p>"
    "<h2>Our approach</h2>"
    "<ul><li>Active care: exercise is at the heart of what we do, and we make it "
    "manageable.</li><li>Honest advice: if physical therapy is not right for you, we say so "
    "and help you find the right care.</li><li>Working together: with your permission, we "
    "keep your doctor informed.</li></ul>"
)

INSURANCE_BODY = (
    "<p>We work with most major health plans, Medicare and workers' compensation. In "
    "Washington State you can see a physical therapist without a doctor's referral, although "
    "some insurance plans still ask for one.</p>"
    "<h2>Before your first visit</h2>"
    "<ol><li>Have your insurance card ready when you call or request an appointment.</li>"
    "<li>We check your benefits and tell you what to expect to pay, before your first "
    "visit.</li><li>If your plan needs a referral or prior authorisation, we help you get "
    "it.</li></ol>"
    "<h2>Paying for yourself</h2>"
    "<p>If you are paying for yourself, a first visit costs $140 and a follow-up visit "
    "$110. We can give you a receipt to claim from a health savings account.</p>"
    "<p>If you need to change an appointment, please read our {cancellation_link}.</p>"
)

CANCELLATION_BODY = (
    "<p>We keep time free for every patient, so we ask for a little notice when your plans "
    "change.</p>"
    "<h2>Changing or cancelling an appointment</h2>"
    "<p>Please call us at least 24 hours before your appointment. We will gladly find you "
    "another time.</p>"
    "<h2>Late cancellations and missed appointments</h2>"
    "<p>If you cancel with less than 24 hours' notice, or do not come, we may charge a fee "
    "of $40. Insurance does not cover this fee. We always waive it the first time, and for "
    "illness, emergencies or bad weather.</p>"
    "<h2>Running late</h2>"
    "<p>Call us if you are running late. We will treat you for the rest of your appointment "
    "time, so the next patient does not have to wait.</p>"
)

PRIVACY_BODY = (
    "<p>This notice explains what personal information this website collects, why, and "
    "what your rights are. Your health records at the clinic are also protected by HIPAA; "
    "ask the front desk for our Notice of Privacy Practices.</p>"
    "<h2>What we collect</h2>"
    "<ul><li>When you request an appointment: your name, contact details, the reason for "
    "your visit and your preferred times.</li><li>When you request our free guide: your "
    "name and email address, and whether you agreed to receive our emails.</li>"
    "<li>Basic server logs, kept for 30 days to keep the site secure.</li></ul>"
    "<h2>Why we collect it</h2>"
    "<p>Only to answer your request, arrange your care and, if you agreed, send you our "
    "occasional emails. We never sell your information, and this site uses no advertising "
    "or tracking cookies.</p>"
    "<h2>How long we keep it</h2>"
    "<p>Appointment requests that do not lead to a visit are deleted after 12 months. You "
    "can unsubscribe from our emails at any time with the link in every email.</p>"
    "<h2>Your rights</h2>"
    "<p>You can ask to see, correct or delete the information we hold about you. Email or "
    "call the front desk and we will answer within 30 days.</p>"
)

# Invented, and named as examples: the demo never claims a real patient's consent.
TESTIMONIALS = [
    {
        "patient_name": "Linda R. (example)",
        "treated_for": "Sciatica",
        "service_slug": "sciatica",
        "quote": "After three months of leg pain I could barely sit through a meal. Maya "
        "explained what was going on and gave me exercises that actually fit into my day. "
        "Six weeks later I was back to walking the dog every morning.",
    },
    {
        "patient_name": "Marcus T. (example)",
        "treated_for": "Knee pain",
        "service_slug": "knee-pain",
        "quote": "Daniel got me from dreading the stairs to finishing my first 10k. He never "
        "rushed a session and always explained why we were doing each exercise.",
    },
    {
        "patient_name": "Priya S. (example)",
        "treated_for": "Neck pain",
        "service_slug": "neck-pain",
        "quote": "My headaches from long days at the computer are almost gone. Hannah's "
        "changes to my desk set-up took ten minutes and made a huge difference.",
    },
    {
        "patient_name": "George and Ann W. (example)",
        "treated_for": "Hip pain",
        "service_slug": "hip-pain",
        "quote": "We both came for hip pain a year apart. Friendly front desk, on time every "
        "visit, and we are still doing our exercises together at home.",
    },
]

GUIDE_TITLE = "Free Back Pain Tips Guide"
GUIDE_BLURB = (
    "Seven simple things you can do at home this week to ease back pain, and the warning "
    "signs that mean you should see a doctor."
)
GUIDE_SECTIONS = [
    (
        "1. Keep moving, gently",
        "Bed rest makes most back pain last longer. Short walks, several times a day, "
        "help your back recover. Start with five minutes and add a little each day.",
    ),
    (
        "2. Change position often",
        "Backs dislike staying still. Set a timer to stand up and move every 30 minutes "
        "when you sit at a desk or on the sofa.",
    ),
    (
        "3. Use heat for comfort",
        "A warm shower or a heat pack for 15 minutes relaxes tight muscles before you "
        "exercise or go to bed.",
    ),
    (
        "4. Try the knee-rocking exercise",
        "Lie on your back with knees bent. Let both knees sway slowly from side to side, "
        "only as far as is comfortable, ten times. Repeat morning and evening.",
    ),
    (
        "5. Sleep on your side with a pillow",
        "A pillow between your knees keeps your hips and back in line and often eases night pain.",
    ),
    (
        "6. Lift close to your body",
        "Hold loads close, bend your knees and hips, and turn with your feet rather than "
        "twisting. Split heavy shopping into two bags.",
    ),
    (
        "7. Be patient and positive",
        "Most back pain improves a lot within six weeks. Pain does not mean damage: "
        "moving, even with some discomfort, is safe and helps you heal.",
    ),
    (
        "See a doctor straight away if",
        "you have numbness around the groin or buttocks, new bladder or bowel problems, "
        "weakness in a leg that is getting worse, a fever with your pain, or pain after "
        "a fall or accident.",
    ),
    (
        "Still sore after two weeks?",
        "A physical therapist can find out what is keeping your pain going and give you "
        "a clear plan. Request an appointment on our website or give us a call.",
    ),
]

# What patients type -> the words the demo's pages use (Settings -> Search synonyms).
SEARCH_SYNONYMS = {
    "slipped disc": "bulging disc",
    "physio": "physical therapy",
    "lumbago": "low back pain",
}
