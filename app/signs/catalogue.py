"""The 17 default sign templates (CA-5): English bodies with ``{placeholders}``, Hindi and Gujarati where given.

The migration ``0011_signs`` seeds a frozen copy of this list (migrations never import app code);
``service.ensure_default_templates`` (run by ``flask seed-demo``) puts back any default that is missing.
Each entry: (slug, category, title, body, priority, translations).
"""

DEFAULT_TEMPLATES = [
    ("emergency_evacuation", "emergency", "Evacuate now",
     "Evacuate {zone} now. Follow {route} to the nearest exit. Stay calm and help others.", 100,
     {"hi": "{zone} तुरंत खाली करें। निकटतम निकास के लिए {route} का पालन करें। शांत रहें।",
      "gu": "{zone} તરત ખાલી કરો. નજીકના બહાર નીકળવા માટે {route} અનુસરો. શાંત રહો."}),
    ("emergency_shelter", "emergency", "Take shelter",
     "Take shelter now at {shelter}. Stay inside until staff say it is safe.", 100, {}),
    ("emergency_medical", "emergency", "Medical help",
     "Medical emergency near {location}. Make way for responders; first aid at {first_aid}.", 95, {}),
    ("weather_current", "weather", "Weather now",
     "Weather now: {conditions}, {temperature} °C.", 30, {}),
    ("weather_lightning", "weather", "Lightning warning",
     "Lightning nearby. Leave open ground and shelter at {shelter}.", 90, {}),
    ("weather_heat", "weather", "Heat warning",
     "Heat warning: {temperature} °C. Drink water; free water at {water_points}.", 70, {}),
    ("schedule_now_playing", "schedule", "Now on stage",
     "Now on {stage}: {event}.", 30, {}),
    ("schedule_starting_soon", "schedule", "Starting soon",
     "Starting at {time} on {stage}: {event}.", 35, {}),
    ("traffic", "traffic", "Traffic",
     "Traffic on {road}: {status}. {advice}", 50, {}),
    ("parking", "parking", "Parking",
     "Parking {lot}: {status}. {advice}", 50, {}),
    ("wayfinding_restrooms", "wayfinding", "Restrooms",
     "Restrooms: {direction}, {distance_m} m.", 20, {}),
    ("wayfinding_first_aid", "wayfinding", "First aid",
     "First aid: {direction}, {distance_m} m.", 25, {}),
    ("crowd_alert", "crowd", "Crowd alert",
     "{zone} is very crowded ({density}% full). Please use {alternative} instead.", 80,
     {"hi": "{zone} में बहुत भीड़ है ({density}% भरा)। कृपया {alternative} का उपयोग करें।",
      "gu": "{zone} માં ખૂબ ભીડ છે ({density}% ભરેલું). કૃપા કરીને {alternative} નો ઉપયોગ કરો."}),
    ("attendee_lost", "attendee", "Lost",
     "LOST: {text} (seen them? contact {contact})", 40, {}),
    ("attendee_found", "attendee", "Found",
     "FOUND: {text} (ask at {contact})", 40, {}),
    ("attendee_meetup", "attendee", "Meet up",
     "MEET UP: {text} (contact {contact})", 35, {}),
    ("sponsor", "sponsor", "Sponsor",
     "{sponsor}: {text}", 10, {}),
]
