# Interestingness test: the candidate (last argument) contains every other
# argument as a fixed string. Exit 1 (interesting) if so, 0 if not.
n=$#
eval "candidate=\${$n}"
i=1
while [ "$i" -lt "$n" ]; do
  eval "needle=\${$i}"
  grep -qF -- "$needle" "$candidate" || exit 0
  i=$((i + 1))
done
exit 1
