package usersweb

import (
	"net/url"
	"strings"
)

// safeNext keeps a post-sign-in destination only when it is a path on this site, so a
// crafted link cannot send a shopper elsewhere after they sign in (open redirect).
func safeNext(target string) string {
	return url.QueryEscape(localPath(target))
}

func localPath(target string) string {
	if target == "" || !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") ||
		strings.HasPrefix(target, "/\\") || strings.ContainsAny(target, "\r\n") {
		return "/account"
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/account"
	}
	return target
}
