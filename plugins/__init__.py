"""The built-in checks, each registered through the ``internkontroll`` entry-point group."""
