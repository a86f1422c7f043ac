/**
 * The default theme's fixed words, per language. A site's `language` picks the table by its primary
 * subtag (`de-AT` → `de`), English when there is none; the config's `strings:` replaces any of them.
 * Layouts read them as `site.strings.<key>`. `{page}` and `{pages}` in `pageOf` are filled in by the
 * build, as `pagination.text`; so is `{domain}` in the network pages' marks.
 */
export type ThemeStrings = Record<StringKey, string> & Record<string, string>;

const EN = {
  skipToContent: 'Skip to content',
  archive: 'Archive',
  tags: 'Tags',
  feed: 'Feed',
  following: 'Following',
  network: 'Network',
  postsSignedWith: 'Posts signed with the keys in',
  draft: 'Draft',
  draftNotice: 'Draft: shown by a preview build, not signed, in no feed',
  updated: 'updated',
  minRead: 'min read',
  on: 'on',
  signedBy: 'Signed by',
  notChecked: '(not checked)',
  support: 'Support',
  newer: 'Newer',
  older: 'Older',
  pageOf: 'Page {page} of {pages}',
  nothingYet: 'Nothing published yet.',
  noTags: 'No tags yet.',
  notFound: 'Not found',
  notFoundText: 'There is no page at this address. Try the',
  homePage: 'home page',
  orThe: 'or the',
  tagsLower: 'tags',
  gone: 'Deleted',
  goneText: 'The post that was here has been deleted. Go to the',
  inReplyTo: 'In reply to',
  liked: 'Liked',
  reposted: 'Reposted',
  bookmarked: 'Bookmarked',
  replies: 'Replies',
  signedByDomain: 'signed by',
  unsigned: 'unsigned',
  sitesIFollow: 'Sites I follow',
  theSitesIFollow: 'The sites I follow',
  fromSitesIFollow: 'From the sites I follow',
  feedLower: 'feed',
  nobodyYet: 'Nobody yet.',
  blogrollText: 'The same list as OPML, for any feed reader:',
  nothingFetched: 'Nothing fetched yet: run',
  pages: 'Pages',
  postsSignedBy: 'posts signed by {domain}',
  postsUnsigned: 'posts unsigned',
  notFetched: 'not fetched yet',
  keyChanged: 'key changed ({domain})',
  keyChangedPost: 'key changed: {domain} signed this with a key it did not use before',
  contents: 'Contents',
  morePosts: 'More posts',
  emailMembers: 'A letter for {title}\'s subscribers: it is not published on the site.',
  emailReadOnWeb: 'Read it on the web, where its signature can be checked:',
  emailSubscribed: 'You get these letters because you subscribed to',
  unsubscribe: 'Unsubscribe',
  emailNoteFrom: 'A note from {title}',
};

export type StringKey = keyof typeof EN;

const TABLES: Record<string, Record<StringKey, string>> = {
  en: EN,
  de: {
    skipToContent: 'Zum Inhalt springen', archive: 'Archiv', tags: 'Schlagwörter', feed: 'Feed', following: 'Ich folge', network: 'Netzwerk',
    postsSignedWith: 'Beiträge signiert mit den Schlüsseln in', draft: 'Entwurf', draftNotice: 'Entwurf: nur in einer Vorschau-Version, nicht signiert, in keinem Feed',
    updated: 'aktualisiert', minRead: 'Min. Lesezeit', on: 'auf', signedBy: 'Signiert von', notChecked: '(nicht geprüft)', support: 'Unterstütze',
    newer: 'Neuer', older: 'Älter', pageOf: 'Seite {page} von {pages}', nothingYet: 'Noch nichts veröffentlicht.', noTags: 'Noch keine Schlagwörter.',
    notFound: 'Nicht gefunden', notFoundText: 'Unter dieser Adresse gibt es keine Seite. Versuche die', homePage: 'Startseite', orThe: 'oder die', tagsLower: 'Schlagwörter', gone: 'Gelöscht', goneText: 'Der Beitrag, der hier stand, wurde gelöscht. Zur',
    inReplyTo: 'Antwort auf', liked: 'Gefällt mir:', reposted: 'Geteilt:', bookmarked: 'Lesezeichen:',
    replies: 'Antworten', signedByDomain: 'signiert von', unsigned: 'nicht signiert',
    sitesIFollow: 'Websites, denen ich folge', theSitesIFollow: 'Die Websites, denen ich folge', fromSitesIFollow: 'Von den Websites, denen ich folge', feedLower: 'Feed',
    nobodyYet: 'Noch niemand.', blogrollText: 'Dieselbe Liste als OPML, für jeden Feedreader:', nothingFetched: 'Noch nichts abgerufen: führe aus', pages: 'Seiten',
    postsSignedBy: 'Beiträge signiert von {domain}', postsUnsigned: 'Beiträge nicht signiert', notFetched: 'noch nicht abgerufen', keyChanged: 'Schlüssel geändert ({domain})',
    keyChangedPost: 'Schlüssel geändert: {domain} hat dies mit einem Schlüssel signiert, den es vorher nicht verwendet hat',
    contents: 'Inhalt', morePosts: 'Weitere Beiträge',
    emailMembers: 'Ein Brief für die Abonnenten von {title}: Er wird nicht auf der Website veröffentlicht.', emailReadOnWeb: 'Im Web lesen, wo die Signatur geprüft werden kann:', emailSubscribed: 'Sie erhalten diese Briefe als Abonnent von', unsubscribe: 'Abbestellen', emailNoteFrom: 'Eine Notiz von {title}',
  },
  fr: {
    skipToContent: 'Aller au contenu', archive: 'Archives', tags: 'Étiquettes', feed: 'Flux', following: 'Abonnements', network: 'Réseau',
    postsSignedWith: 'Articles signés avec les clés de', draft: 'Brouillon', draftNotice: 'Brouillon : visible dans un aperçu seulement, non signé, dans aucun flux',
    updated: 'mis à jour', minRead: 'min de lecture', on: 'sur', signedBy: 'Signé par', notChecked: '(non vérifié)', support: 'Soutenir',
    newer: 'Plus récents', older: 'Plus anciens', pageOf: 'Page {page} sur {pages}', nothingYet: 'Rien de publié pour le moment.', noTags: 'Pas encore d’étiquettes.',
    notFound: 'Page introuvable', notFoundText: 'Il n’y a aucune page à cette adresse. Essayez la', homePage: 'page d’accueil', orThe: 'ou les', tagsLower: 'étiquettes', gone: 'Supprimé', goneText: 'L’article qui était ici a été supprimé. Aller à la',
    inReplyTo: 'En réponse à', liked: 'Aimé :', reposted: 'Partagé :', bookmarked: 'Mis en favori :',
    replies: 'Réponses', signedByDomain: 'signé par', unsigned: 'non signé',
    sitesIFollow: 'Les sites que je suis', theSitesIFollow: 'Les sites que je suis', fromSitesIFollow: 'Des sites que je suis', feedLower: 'flux',
    nobodyYet: 'Personne pour le moment.', blogrollText: 'La même liste en OPML, pour tout lecteur de flux :', nothingFetched: 'Rien de récupéré pour le moment : lancez', pages: 'Pages',
    postsSignedBy: 'articles signés par {domain}', postsUnsigned: 'articles non signés', notFetched: 'pas encore récupéré', keyChanged: 'clé changée ({domain})',
    keyChangedPost: 'clé changée : {domain} a signé ceci avec une clé qu’il n’utilisait pas avant',
    contents: 'Sommaire', morePosts: 'Autres articles',
    emailMembers: 'Une lettre pour les abonnés de {title} : elle n’est pas publiée sur le site.', emailReadOnWeb: 'À lire sur le web, où sa signature peut être vérifiée :', emailSubscribed: 'Vous recevez ces lettres car vous êtes abonné à', unsubscribe: 'Se désabonner', emailNoteFrom: 'Une note de {title}',
  },
  es: {
    skipToContent: 'Saltar al contenido', archive: 'Archivo', tags: 'Etiquetas', feed: 'Feed', following: 'Sigo a', network: 'Red',
    postsSignedWith: 'Entradas firmadas con las claves de', draft: 'Borrador', draftNotice: 'Borrador: solo en una vista previa, sin firmar, en ningún feed',
    updated: 'actualizado', minRead: 'min de lectura', on: 'en', signedBy: 'Firmado por', notChecked: '(sin comprobar)', support: 'Apoya a',
    newer: 'Más recientes', older: 'Más antiguas', pageOf: 'Página {page} de {pages}', nothingYet: 'Aún no hay nada publicado.', noTags: 'Aún no hay etiquetas.',
    notFound: 'No encontrado', notFoundText: 'No hay ninguna página en esta dirección. Prueba la', homePage: 'página de inicio', orThe: 'o las', tagsLower: 'etiquetas', gone: 'Eliminado', goneText: 'La entrada que estaba aquí se ha eliminado. Ir a la',
    inReplyTo: 'En respuesta a', liked: 'Me gustó:', reposted: 'Compartido:', bookmarked: 'Guardado:',
    replies: 'Respuestas', signedByDomain: 'firmado por', unsigned: 'sin firmar',
    sitesIFollow: 'Sitios que sigo', theSitesIFollow: 'Los sitios que sigo', fromSitesIFollow: 'De los sitios que sigo', feedLower: 'feed',
    nobodyYet: 'Nadie todavía.', blogrollText: 'La misma lista en OPML, para cualquier lector de feeds:', nothingFetched: 'Aún no se ha descargado nada: ejecuta', pages: 'Páginas',
    postsSignedBy: 'entradas firmadas por {domain}', postsUnsigned: 'entradas sin firmar', notFetched: 'aún no descargado', keyChanged: 'clave cambiada ({domain})',
    keyChangedPost: 'clave cambiada: {domain} firmó esto con una clave que no usaba antes',
    contents: 'Contenido', morePosts: 'Más entradas',
    emailMembers: 'Una carta para los suscriptores de {title}: no se publica en el sitio.', emailReadOnWeb: 'Léela en la web, donde se puede comprobar su firma:', emailSubscribed: 'Recibes estas cartas porque te suscribiste a', unsubscribe: 'Cancelar la suscripción', emailNoteFrom: 'Una nota de {title}',
  },
  pt: {
    skipToContent: 'Pular para o conteúdo', archive: 'Arquivo', tags: 'Etiquetas', feed: 'Feed', following: 'Sigo', network: 'Rede',
    postsSignedWith: 'Publicações assinadas com as chaves em', draft: 'Rascunho', draftNotice: 'Rascunho: só numa pré-visualização, não assinado, em nenhum feed',
    updated: 'atualizado', minRead: 'min de leitura', on: 'em', signedBy: 'Assinado por', notChecked: '(não verificado)', support: 'Apoie',
    newer: 'Mais recentes', older: 'Mais antigas', pageOf: 'Página {page} de {pages}', nothingYet: 'Nada publicado ainda.', noTags: 'Ainda não há etiquetas.',
    notFound: 'Não encontrado', notFoundText: 'Não há nenhuma página neste endereço. Tente a', homePage: 'página inicial', orThe: 'ou as', tagsLower: 'etiquetas', gone: 'Apagado', goneText: 'A publicação que estava aqui foi apagada. Ir para a',
    inReplyTo: 'Em resposta a', liked: 'Curtiu:', reposted: 'Compartilhou:', bookmarked: 'Guardou:',
    replies: 'Respostas', signedByDomain: 'assinado por', unsigned: 'não assinado',
    sitesIFollow: 'Sites que sigo', theSitesIFollow: 'Os sites que sigo', fromSitesIFollow: 'Dos sites que sigo', feedLower: 'feed',
    nobodyYet: 'Ninguém ainda.', blogrollText: 'A mesma lista em OPML, para qualquer leitor de feeds:', nothingFetched: 'Nada buscado ainda: execute', pages: 'Páginas',
    postsSignedBy: 'publicações assinadas por {domain}', postsUnsigned: 'publicações não assinadas', notFetched: 'ainda não buscado', keyChanged: 'chave alterada ({domain})',
    keyChangedPost: 'chave alterada: {domain} assinou isto com uma chave que não usava antes',
    contents: 'Conteúdo', morePosts: 'Mais publicações',
    emailMembers: 'Uma carta para os assinantes de {title}: não é publicada no site.', emailReadOnWeb: 'Leia na web, onde a assinatura pode ser verificada:', emailSubscribed: 'Você recebe estas cartas porque assinou', unsubscribe: 'Cancelar a assinatura', emailNoteFrom: 'Uma nota de {title}',
  },
  ja: {
    skipToContent: '本文へ移動', archive: 'アーカイブ', tags: 'タグ', feed: 'フィード', following: 'フォロー中', network: 'ネットワーク',
    postsSignedWith: '投稿の署名に使う鍵:', draft: '下書き', draftNotice: '下書き:プレビュー用のビルドでのみ表示、署名なし、フィードに含まれません',
    updated: '更新', minRead: '分で読めます', on: '-', signedBy: '署名:', notChecked: '(未確認)', support: '支援:',
    newer: '新しい投稿', older: '古い投稿', pageOf: '{page} / {pages} ページ', nothingYet: 'まだ何も公開されていません。', noTags: 'タグはまだありません。',
    notFound: 'ページが見つかりません', notFoundText: 'このアドレスにページはありません。次をお試しください:', homePage: 'ホーム', orThe: 'または', tagsLower: 'タグ', gone: '削除されました', goneText: 'ここにあった投稿は削除されました。移動:',
    inReplyTo: '返信先:', liked: 'いいね:', reposted: '共有:', bookmarked: 'ブックマーク:',
    replies: '返信', signedByDomain: '署名:', unsigned: '署名なし',
    sitesIFollow: 'フォロー中のサイト', theSitesIFollow: 'フォロー中のサイト', fromSitesIFollow: 'フォロー中のサイトから', feedLower: 'フィード',
    nobodyYet: 'まだ誰もいません。', blogrollText: '同じリストの OPML 版(フィードリーダー用):', nothingFetched: 'まだ何も取得していません。実行:', pages: 'ページ',
    postsSignedBy: '{domain} の署名付き投稿', postsUnsigned: '署名なしの投稿', notFetched: '未取得', keyChanged: '鍵が変更されました({domain})',
    keyChangedPost: '鍵が変更されました:{domain} は以前使っていなかった鍵でこれに署名しました',
    contents: '目次', morePosts: 'ほかの投稿',
    emailMembers: '{title} の購読者への手紙です。サイトには公開されていません。', emailReadOnWeb: '署名を確認できるウェブ版で読む:', emailSubscribed: 'このメールは次のサイトを購読しているため届いています:', unsubscribe: '購読を解除', emailNoteFrom: '{title} からのノート',
  },
};

/** The theme's words for `language` (a BCP 47 tag), with the config's `strings:` over them. */
export function themeStrings(language: string, overrides: Record<string, string> = {}): ThemeStrings {
  const primary = language.toLowerCase().split(/[-_]/)[0] ?? 'en';
  return { ...(TABLES[primary] ?? EN), ...overrides };
}

/** `pageOf` with its numbers: "Page 2 of 5". */
export function pageText(strings: ThemeStrings, page: number, pages: number): string {
  return fillIn(strings.pageOf, { page: String(page), pages: String(pages) });
}

/** A string with its `{name}` places filled in: "posts signed by {domain}". */
export function fillIn(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The keys a config's `strings:` can set. */
export const STRING_KEYS: readonly string[] = Object.keys(EN);

/** The languages with a table of their own. */
export const STRING_LANGUAGES = Object.keys(TABLES);
