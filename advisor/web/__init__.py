"""`advisor serve`: the questionnaire, the advice, the adviser's sessions and a JSON API in a web application.

The pages drive the same questions, planner, advice, sessions and reports as the command line
(`advisor.questionnaire`, `advisor.sessions`, `advisor.render`); nothing here decides advice. `app`
assembles the application, `guard` is its security, `core` what every request shares.
"""
