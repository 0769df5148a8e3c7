"""The network's own records, beside the spend-data flow: members and their senior
sponsors, working groups, pledges, the business engagement pipeline, the progression
framework and self-assessments, social value commitments and deliveries, and action plans.

One module per kind of record; each keeps its tables (its own numbered migration), its
rules and its queries, and is used by the CLI, the web app and the report alike.
See docs/network.md.
"""
