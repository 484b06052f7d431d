# Interestingness test for inhibitor-reduce (docs/Tools.md): the module is
# "interesting" (exit 1) when --convert-attention-to-inhibitor leaves a
# dot-product attention in place: a linalg.softmax and a linalg.matmul are
# still there after the rewrite. A module that does not parse or verify is
# not interesting (exit 0). mlir-reduce passes the candidate file last.
for candidate; do :; done
out=$(inhibitor-opt "$candidate" --convert-attention-to-inhibitor 2>/dev/null) || exit 0
printf '%s\n' "$out" | grep -q 'linalg\.softmax' || exit 0
printf '%s\n' "$out" | grep -q 'linalg\.matmul' || exit 0
exit 1
