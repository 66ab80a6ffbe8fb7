"""Record dialogs: family, child, professional, assessment round, settings.

Each builds its domain object itself and shows what is wrong inline, under the field; none saves anything.
Import the one you need from its module (they are loaded only when first opened).
"""
