package usersweb

import (
	"net/url"
	"path"
	"strings"
	"unicode"
)

// safeNext keeps a post-sign-in destination only when it is a path on this site, so a
// crafted link cannot send a shopper elsewhere after they sign in (open redirect).
func safeNext(target string) string {
	return url.QueryEscape(localPath(target))
}

// localPath returns target when it is a path on this site, else "/account". It judges
// the path as a browser will follow it, decoded and cleaned: "/./%5Cevil.example/" is
// "/\evil.example/" once cleaned, and browsers read a backslash as a slash, so that
// would be "//evil.example", another site. A path with a backslash or a control
// character anywhere is refused; what is kept is written back cleaned and escaped.
func localPath(target string) string {
	const home = "/account"
	if !strings.HasPrefix(target, "/") || strings.ContainsFunc(target, badInPath) {
		return home
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.User != nil {
		return home
	}
	p := path.Clean(u.Path) // u.Path is decoded: %5C is a backslash here
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsFunc(p, badInPath) {
		return home
	}
	if strings.HasSuffix(u.Path, "/") && p != "/" {
		p += "/"
	}
	return (&url.URL{Path: p, RawQuery: u.RawQuery}).String()
}

func badInPath(r rune) bool { return r == '\\' || unicode.IsControl(r) }
