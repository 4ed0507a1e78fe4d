"""Name pools for demo people. Invented, diverse, and not anyone's real record."""

GIVEN_FEMALE = [
    "Amelia", "Olivia", "Isla", "Ava", "Mia", "Sofia", "Grace", "Freya", "Aisha", "Zara",
    "Maya", "Priya", "Leah", "Chloe", "Ruby", "Hana", "Nadia", "Elena", "Fatima", "Ines",
    "Keira", "Lucy", "Niamh", "Orla", "Rosa", "Saoirse", "Tara", "Yara", "Zoe", "Mei",
]
GIVEN_MALE = [
    "Oliver", "Noah", "Leo", "Arthur", "Muhammad", "Harry", "Oscar", "Jack", "Ravi", "Tom",
    "Kwame", "Luca", "Mateo", "Finn", "Ethan", "Adam", "Samir", "Dylan", "Kai", "Owen",
    "Rhys", "Callum", "Declan", "Ibrahim", "Jonah", "Kofi", "Ben", "Theo", "Yusuf", "Wei",
]
FAMILY = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Khan", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
    "Hall", "Wood", "Jackson", "Clarke", "Okafor", "Nowak", "Murphy", "O'Brien", "Kaur",
    "Singh", "Chen", "Nguyen", "Hughes", "Edwards", "Ali", "Hussain", "Campbell", "Kelly",
    "Mensah", "Kowalski", "Rossi", "García", "Müller", "Lindqvist", "Byrne", "Ahmed",
]
LANGUAGES = ["English"] * 12 + ["Polish", "Urdu", "Punjabi", "Arabic", "Romanian", "Somali"]
OCCUPATIONS = [
    "Warehouse operative", "Nurse", "Teacher", "Retired", "Bus driver", "Accountant",
    "Care assistant", "Unemployed", "Electrician", "Student", "Shop manager", "Chef",
    "Off work (sick leave)", "Cleaner", "Software developer", "Farmer",
]
SCHOOLS = [
    "Riverside Academy", "St Anne's School", "Hill View High", "Northgate College",
    "Meadow Lane School", "Home educated",
]
STREETS = ["Mill Lane", "Church Road", "Station Street", "Park Avenue", "Victoria Road", "Oak Close"]
EPISODE_REASONS = {
    "adult-programme": [
        "Chronic low back pain with reduced activity",
        "Widespread pain (fibromyalgia), off work",
        "Chronic neck and shoulder pain after injury",
        "Persistent knee pain, low mood",
        "Chronic pelvic pain, sleep disturbance",
    ],
    "paediatric-intensive": [
        "Amplified musculoskeletal pain, missing school",
        "CRPS type 1, right foot, using crutches",
        "Chronic abdominal pain, school attendance 40%",
        "Hypermobile EDS with widespread pain",
        "Chronic daily headache, stopped sport",
    ],
    "neuroirritability": [
        "Recurrent pain behaviours, cerebral palsy",
        "Irritability and disturbed sleep, neurodevelopmental disorder",
        "Pain behaviours with feeding, gastrostomy",
    ],
    "interventional": [
        "Facet joint pain: medial branch block requested",
        "Occipital neuralgia: nerve block requested",
        "Myofascial pain: trigger point injections requested",
        "Radicular pain: epidural steroid injection requested",
    ],
}
