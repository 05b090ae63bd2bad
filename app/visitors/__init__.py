"""The visitors domain (CR-1, CR-2): invitations and signed passes, reception check-in/out with host
notification, the on-site roll-call, the block list, RFID cards and face biometrics with consent."""
