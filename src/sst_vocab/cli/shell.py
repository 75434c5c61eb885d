"""Shell integration: the completion script."""

from __future__ import annotations

import click

_SHELLS = {"bash": "bash_source", "zsh": "zsh_source", "fish": "fish_source"}


@click.command("completion")
@click.argument("shell", type=click.Choice(sorted(_SHELLS)))
def completion_command(shell: str) -> None:
    """Print the shell completion script for SHELL (bash, zsh or fish).

    Completes commands, options and their choices, file names, query names
    (sst-vocab query NAME), office acronyms (review --agency) and concept
    CURIEs (show, tree, add --broader, deprecate, review --record).

    Example:

    \b
        eval "$(sst-vocab completion bash)"       # in ~/.bashrc
        eval "$(sst-vocab completion zsh)"        # in ~/.zshrc
        sst-vocab completion fish > ~/.config/fish/completions/sst-vocab.fish
    """
    from click.shell_completion import get_completion_class

    from . import cli

    cls = get_completion_class(shell)
    if cls is None:  # click.Choice lets only the shells click supports through
        raise click.BadParameter(f"no completion for {shell}")
    comp = cls(cli, {}, "sst-vocab", "_SST_VOCAB_COMPLETE")
    click.echo(comp.source())
