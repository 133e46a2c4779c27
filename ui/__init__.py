"""The Gradio chat page officials run on their own laptop: `python -m ui` or `zhenbao-ui`."""
