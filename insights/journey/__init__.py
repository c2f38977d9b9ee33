"""The joined journey of an initiative: the call that accepted it, the meetings it
led to, the investment project it became and the funding that followed, as far as
each step already makes it public."""
