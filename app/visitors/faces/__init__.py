"""Face biometrics, free of the database: decode an upload in memory, embed the one face, match embeddings.

``imaging`` turns bytes into pixels, ``engine`` runs dlib's detector and ResNet encoder (the optional
biometrics extra), ``matching`` compares 128-number embeddings with numpy. The service layer
(``app.visitors.service.biometrics``) stores embeddings and records consent and usage.
"""
