
_pakus_completion() {
    local line quoted
    COMPREPLY=()
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        printf -v quoted '%q' "$line"
        COMPREPLY+=("$quoted")
    done < <(env COMP_WORDS="${COMP_WORDS[*]}" \
                 COMP_CWORD=$COMP_CWORD \
                 _PAKUS_COMPLETE=complete_bash $1)
    return 0
}

complete -o default -F _pakus_completion pakus
