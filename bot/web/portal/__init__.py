"""The web portal for landlords' complaint teams, advocates and operators (mounted at /portal).

Server-rendered pages over the same database and domain rules as the chat: no scripts, plain forms.
See bot.web.portal.pages for the routes, docs/portal.md for how people sign in.
"""
