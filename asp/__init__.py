"""The rule base as data: the `.lp` files beside this module ship inside the wheel.

Nothing here is Python logic; `engine.core.rulebase` finds these files beside this
module, so that an installed engine and a checkout read the same rules.
"""
