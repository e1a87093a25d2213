"""ruamel.yaml's comment tokens, for the layout: which node has a comment inside, and the
lines that follow a node (blank lines, the next key's comments), moved when its style changes.

ruamel keeps a comment line, and a blank line, as part of the comment token of the line above
it: in a mapping, slot 2 of the item's entry in ``ca.items``; in a sequence, slot 0. A block node
whose key line ends in a comment keeps a copy of that token in its own ``ca.comment[0]``.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedBase, CommentedMap, CommentedSeq

Key = Any  # a mapping key or a sequence index


def comment_at(token: Any, column: int, at_least: bool = False) -> None:
    """Write an end-of-line comment at ``column`` (with ``at_least``, where it was written when
    that is further right: aligned comments stay aligned)."""
    from ruamel.yaml.error import CommentMark

    if token is None or isinstance(token, list) or not token.value.startswith("#"):
        return
    if not (at_least and token.start_mark.column >= column):
        token.start_mark = CommentMark(column)


def eol_token(parent: CommentedBase, key: Key) -> Any:
    slots = parent.ca.items.get(key)
    return slots[eol_index(parent)] if slots else None


def same(part: Any, token: Any) -> bool:
    """Whether a node's comment part is ``token`` (ruamel keeps copies in two places)."""
    if part is token:
        return True
    return token is not None and not isinstance(part, list) and part.value == token.value


def has_comments(node: Any, own_line: Any = None, outermost: bool = True) -> bool:
    """Whether a comment sits inside ``node``. Neither the comment at the end of its key's line
    (``own_line``, which ruamel also keeps in the node) nor the lines after its last item (blank
    lines, the next key's comments) are inside: they stay before and after it in any style."""
    if not isinstance(node, (CommentedMap, CommentedSeq)):
        return False
    comment = node.ca.comment
    if comment and any(part and not (outermost and same(part, own_line)) for part in comment):
        return True
    if node.ca.end and not outermost:  # comment lines after the last item, inside the node
        return True
    keys = list(node.keys()) if isinstance(node, CommentedMap) else list(range(len(node)))
    for key in keys:
        slots = node.ca.items.get(key)
        if slots:
            eol = eol_index(node)
            last = key == keys[-1] and outermost
            for index, slot in enumerate(slots):
                if slot is None or (last and index == eol and not first_line(slot).strip()):
                    continue
                return True
        child = node[key]
        if has_comments(child, None, outermost=outermost and key == keys[-1]):
            return True
    return False


# ---- the lines after a node -------------------------------------------------------------


def eol_index(node: CommentedBase) -> int:
    """Where ruamel keeps an item's end-of-line comment token: [2] in a mapping, [0] in a list."""
    return 2 if isinstance(node, CommentedMap) else 0


def first_line(token: Any) -> str:
    """A comment token's first line: the comment at the end of the item's own line, or "\\n"."""
    value = str(token.value) if not isinstance(token, list) else ""
    end = value.find("\n")
    return value if end < 0 else value[: end + 1]


def split_tail(parent: CommentedBase, key: Key, flow: bool = False) -> str:
    """Remove and return the lines after ``parent[key]``'s own line from its comment token.
    A token left without a comment goes (in a flow node, ``flow``, its line break would break
    the flow line)."""
    slots = parent.ca.items.get(key)
    index = eol_index(parent)
    if not slots or slots[index] is None or isinstance(slots[index], list):
        return ""
    token = slots[index]
    head = first_line(token)
    tail = token.value[len(head) :]
    if not head.strip() and (flow or tail):
        slots[index] = None
    elif tail:
        token.value = head
    return str(tail)


def append_tail(parent: CommentedBase, key: Key, tail: str) -> None:
    if not tail:
        return
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    index = eol_index(parent)
    slots = parent.ca.items.setdefault(key, [None, None, None, None][: 4 if index == 2 else 2])
    token = slots[index]
    if token is None or isinstance(token, list):
        slots[index] = CommentToken("\n" + tail, CommentMark(0), None)
    else:
        token.value = token.value + tail


def last_slot(node: CommentedMap | CommentedSeq) -> tuple[CommentedBase, Key] | None:
    """The item whose line is the last line of a block node (descending into block values)."""
    if not node:
        return None
    key = list(node.keys())[-1] if isinstance(node, CommentedMap) else len(node) - 1
    child = node[key]
    if isinstance(child, (CommentedMap, CommentedSeq)) and child and not child.fa.flow_style():
        return last_slot(child)
    return node, key


def move_tails(node: CommentedMap | CommentedSeq) -> None:
    """Put the lines that follow each collection after its last line in its final style."""
    keys = list(node.keys()) if isinstance(node, CommentedMap) else list(range(len(node)))
    for key in keys:
        child = node[key]
        if not isinstance(child, (CommentedMap, CommentedSeq)) or not child:
            continue
        if child.fa.flow_style():
            append_tail(node, key, flow_tails(child))
            continue
        move_tails(child)
        last = last_slot(child)
        if last is not None:
            append_tail(last[0], last[1], split_tail(node, key))


def flow_tails(node: CommentedMap | CommentedSeq) -> str:
    """Remove the lines kept inside a flow node (those that followed it as a block), in order."""
    tails = []
    ends = node.ca.end or []
    if ends:  # comment lines after the last item, which ruamel keeps apart
        node.ca.end = []
    keys = list(node.keys()) if isinstance(node, CommentedMap) else list(range(len(node)))
    for key in keys:
        tails.append(split_tail(node, key, flow=True))
        child = node[key]
        if isinstance(child, (CommentedMap, CommentedSeq)):
            tails.append(flow_tails(child))
    tails.extend(" " * token.column + token.value for token in ends)
    return "".join(tails)
