"""Where the demo city's sensors, roads, bins and feeders are: the four temple towns (coordinates as in
app/temples/seed.py; road nodes at the towns' real landmarks, positions rounded to about 50 m)."""

from __future__ import annotations

TOWNS = {
    "somnath": {"name": "Somnath – Veraval", "lat": 20.8880, "lng": 70.4013},
    "dwarka": {"name": "Dwarka", "lat": 22.2376, "lng": 68.9674},
    "ambaji": {"name": "Ambaji", "lat": 24.3326, "lng": 72.8503},
    "pavagadh": {"name": "Pavagadh – Champaner", "lat": 22.4617, "lng": 73.5112},
}

# key, name, lat, lng
NODES = {
    "somnath": [("som-gate", "Somnath temple gate", 20.8869, 70.4016),
                ("som-ghat", "Triveni Sangam ghat", 20.8930, 70.4050),
                ("som-chowk", "Prabhas Patan chowk", 20.8905, 70.3990),
                ("som-bypass", "Somnath bypass junction", 20.8960, 70.3950),
                ("som-bhalka", "Bhalka Tirth", 20.8995, 70.3888),
                ("som-busstand", "Veraval bus stand", 20.9077, 70.3672),
                ("som-station", "Somnath railway station", 20.9010, 70.3985)],
    "dwarka": [("dwk-temple", "Dwarkadhish temple", 22.2380, 68.9680),
               ("dwk-gomti", "Gomti ghat", 22.2372, 68.9663),
               ("dwk-teenbatti", "Teen batti chowk", 22.2405, 68.9720),
               ("dwk-station", "Dwarka railway station", 22.2395, 68.9838),
               ("dwk-bypass", "Dwarka bypass junction", 22.2450, 68.9850),
               ("dwk-rukmini", "Rukmini temple road", 22.2485, 68.9790)],
    "ambaji": [("amb-temple", "Ambaji temple", 24.3326, 72.8503),
               ("amb-busstand", "Ambaji bus stand", 24.3340, 72.8440),
               ("amb-gabbar", "Gabbar hill road", 24.3275, 72.8540),
               ("amb-chowk", "Ambaji main chowk", 24.3352, 72.8485)],
    "pavagadh": [("pav-champaner", "Champaner gate", 22.4856, 73.5361),
                 ("pav-machi", "Machi haveli", 22.4680, 73.5150),
                 ("pav-village", "Pavagadh village", 22.4780, 73.5260),
                 ("pav-ropeway", "Udan khatola ropeway base", 22.4665, 73.5138)],
}

# key, name, from, to, free-flow km/h, lanes, measured by a traffic sensor
SEGMENTS = {
    "somnath": [("som-temple-road", "Temple road", "som-gate", "som-chowk", 30, 2, True),
                ("som-triveni-road", "Triveni road", "som-gate", "som-ghat", 25, 1, True),
                ("som-ghat-station", "Ghat – station road", "som-ghat", "som-station", 30, 1, False),
                ("som-chowk-station", "Prabhas Patan road", "som-chowk", "som-station", 35, 2, True),
                ("som-chowk-bypass", "Chowk – bypass road", "som-chowk", "som-bypass", 40, 2, False),
                ("som-station-bypass", "Station road", "som-station", "som-bypass", 35, 1, False),
                ("som-bypass-bhalka", "Bhalka Tirth road", "som-bypass", "som-bhalka", 45, 2, True),
                ("som-highway", "Veraval – Somnath highway", "som-bhalka", "som-busstand", 50, 2, False)],
    "dwarka": [("dwk-temple-ghat", "Gomti ghat lane", "dwk-temple", "dwk-gomti", 15, 1, False),
               ("dwk-temple-road", "Temple road", "dwk-temple", "dwk-teenbatti", 20, 1, True),
               ("dwk-station-road", "Station road", "dwk-teenbatti", "dwk-station", 35, 2, True),
               ("dwk-rukmini-road", "Rukmini road", "dwk-teenbatti", "dwk-rukmini", 35, 2, True),
               ("dwk-bypass-road", "Bypass road", "dwk-station", "dwk-bypass", 45, 2, False),
               ("dwk-north-link", "North link", "dwk-bypass", "dwk-rukmini", 40, 1, True)],
    "ambaji": [("amb-temple-road", "Temple road", "amb-busstand", "amb-chowk", 25, 2, True),
               ("amb-chowk-temple", "Chowk – temple lane", "amb-chowk", "amb-temple", 15, 1, True),
               ("amb-gabbar-road", "Gabbar road", "amb-temple", "amb-gabbar", 30, 1, True)],
    "pavagadh": [("pav-champaner-road", "Champaner road", "pav-champaner", "pav-village", 40, 2, True),
                 ("pav-ghat-road", "Ghat road", "pav-village", "pav-machi", 25, 1, True),
                 ("pav-ropeway-road", "Ropeway approach", "pav-machi", "pav-ropeway", 15, 1, False)],
}

# key, name, node, lost time per phase, approaches (name, phase, segment, saturation veh/h)
JUNCTIONS = [
    ("som-chowk-signal", "Prabhas Patan chowk signal", "som-chowk", 4.0,
     [("Temple road", 1, "som-temple-road", 3200), ("Prabhas Patan road", 2, "som-chowk-station", 3200)]),
    ("dwk-teenbatti-signal", "Teen batti chowk signal", "dwk-teenbatti", 4.0,
     [("Temple road", 1, "dwk-temple-road", 1600), ("Station road", 2, "dwk-station-road", 3200),
      ("Rukmini road", 3, "dwk-rukmini-road", 3200)]),
]

# per town: (key suffix, name, capacity kW, rooftop solar peak kW, share of capacity at the evening peak)
FEEDERS = [("temple", "temple complex 11 kV feeder", 2500, 400, 0.88), ("town", "town 11 kV feeder", 4000, 300, 0.62)]
