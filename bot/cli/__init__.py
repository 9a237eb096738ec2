"""The command line (`fairsay`): `main` builds the parser; each group of subcommands has its module.

main            the `fairsay` entry point and most subcommands
command_line    how a subcommand is declared, and the operator-facing English counts
check_response  `fairsay check-response`
landlord_admin  `fairsay admin landlords ...`
schemas         every JSON Schema published in docs/schema (`fairsay schema`)

`fairsay db ...` lives beside the storage it manages (bot.storage.cli).
"""
