// Builds the Excel add-in (addin/) into dist/, in the conventions of the official
// Office-Addin-TaskPane template: `npm run build` (production) and `npm run dev-server` (HTTPS on
// localhost:3000 with office-addin-dev-certs). A production build writes the manifest with the
// development URL https://localhost:3000/ replaced by ADDIN_URL, where the administrator hosts dist/,
// and the development add-in id replaced by the production one, so that a copy sideloaded for
// development and the one the office deployed are two add-ins to Excel, not one overwriting the other.
// package.json's `config` block (app_to_debug, app_type_to_debug, dev_server_port) is the template's:
// office-addin-debugging reads it through npm, and the dev server's port comes from it.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const webpack = require('webpack');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const HtmlWebpackPlugin = require('html-webpack-plugin');

const DEV_URL = 'https://localhost:3000/';
const DEV_ORIGIN = 'https://localhost:3000';
/** The add-in's <Id> in manifest.xml (development) and in the manifest a production build writes. */
const DEV_ID = '5ba50c9f-493a-4bbf-87b7-5fb515dd4c4a';
const PRODUCTION_ID = 'af3111de-84f9-4f16-8c48-98ee4de07376';

/** The dev server's port: npm passes package.json's config.dev_server_port; webpack run directly reads it. */
function devServerPort() {
  const fromNpm = process.env.npm_package_config_dev_server_port;
  return Number(fromNpm || require('./package.json').config.dev_server_port);
}

/** ADDIN_URL as a base URL ending in "/", or undefined when not set; an http:// URL is refused (Office loads add-ins over HTTPS only). */
function productionUrl() {
  const text = (process.env.ADDIN_URL || '').trim();
  if (!text) return undefined;
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`ADDIN_URL「${text}」不是有效的網址，應形如 https://minsheng.example.gov.cn/addin/`);
  }
  if (url.protocol !== 'https:') throw new Error(`ADDIN_URL 必須是 https:// 網址（Office 只從 HTTPS 加載加載項），現在是「${text}」`);
  return { base: url.href.endsWith('/') ? url.href : `${url.href}/`, origin: url.origin };
}

/** The manifest for where the add-in is served: every development URL and the development id replaced. */
function manifestFor(content, target) {
  if (!target) return content;
  return content
    .toString()
    .split(`<Id>${DEV_ID}</Id>`)
    .join(`<Id>${PRODUCTION_ID}</Id>`)
    .split(DEV_URL)
    .join(target.base)
    .split(DEV_ORIGIN)
    .join(target.origin);
}

/**
 * The stylesheet's file name: in production with its content's hash, so that Office's cache of the
 * pane (which outlives an update) never pairs a new page with an old stylesheet.
 */
function stylesheetName(dev) {
  if (dev) return 'taskpane.css';
  const hash = crypto.createHash('sha256').update(fs.readFileSync(path.join(__dirname, 'addin/taskpane/taskpane.css'))).digest('hex');
  return `taskpane.${hash.slice(0, 8)}.css`;
}

/**
 * The text the pages carry themselves (the ES5 fallback's message, the support page), rendered from the
 * catalogue in both scripts by scripts/addin-page-text.ts: the catalogue is TypeScript, and these pages
 * must work without the bundle.
 */
function pageText() {
  const tsx = require.resolve('tsx/cli');
  return JSON.parse(execFileSync(process.execPath, [tsx, path.join(__dirname, 'scripts/addin-page-text.ts')], { encoding: 'utf8' }));
}

/** A value as a JavaScript literal that is safe inside an inline <script>. */
function inlineJson(value) {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

async function httpsOptions() {
  // Installs and trusts a development certificate on first use, as the official template does.
  const devCerts = require('office-addin-dev-certs');
  const options = await devCerts.getHttpsServerOptions();
  return { ca: options.ca, key: options.key, cert: options.cert };
}

module.exports = async (env, options) => {
  const dev = options.mode === 'development';
  const target = dev ? undefined : productionUrl();
  const serving = Boolean(env && env.WEBPACK_SERVE);
  const stylesheet = stylesheetName(dev);
  const text = pageText();
  return {
    devtool: 'source-map',
    entry: { taskpane: './addin/taskpane/taskpane.ts' },
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: dev ? '[name].js' : '[name].[contenthash:8].js',
      clean: true,
    },
    resolve: { extensions: ['.ts', '.js'] },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: { loader: 'ts-loader', options: { configFile: path.resolve(__dirname, 'addin/tsconfig.json'), onlyCompileBundledFiles: true } },
        },
      ],
    },
    performance: { maxAssetSize: 3_000_000, maxEntrypointSize: 3_000_000 },
    plugins: [
      new webpack.DefinePlugin({ __DEFAULT_SERVICE_URL__: JSON.stringify(process.env.SERVICE_URL || '') }),
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './addin/taskpane/taskpane.html',
        chunks: ['taskpane'],
        templateParameters: { stylesheet, pageText: inlineJson({ 'zh-CN': { oldWebview: text['zh-CN'].oldWebview }, 'zh-TW': { oldWebview: text['zh-TW'].oldWebview } }) },
      }),
      // The support page in each script: the manifest's SupportUrl sends zh-TW, zh-HK and zh-MO to the traditional one.
      ...[
        ['help.html', 'zh-CN'],
        ['help.zh-TW.html', 'zh-TW'],
      ].map(
        ([filename, lang]) =>
          new HtmlWebpackPlugin({ filename, template: './addin/help.html', inject: false, chunks: [], minify: false, templateParameters: { stylesheet, lang, text: text[lang].help } }),
      ),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'assets/icon-*.png', to: 'assets/[name][ext]' },
          { from: 'addin/taskpane/taskpane.css', to: stylesheet },
          { from: 'manifest.xml', to: 'manifest.xml', transform: (content) => manifestFor(content, target) },
        ],
      }),
      {
        apply(compiler) {
          compiler.hooks.thisCompilation.tap('AddinUrl', (compilation) => {
            if (!dev && !target) {
              compilation.warnings.push(
                new webpack.WebpackError('ADDIN_URL 未設置：dist/manifest.xml 仍指向 https://localhost:3000/，只能在本機使用。發佈前請用 ADDIN_URL=https://… npm run build 重新構建。'),
              );
            }
          });
        },
      },
    ],
    devServer: serving
      ? {
          headers: { 'Access-Control-Allow-Origin': '*' },
          server: { type: 'https', options: await httpsOptions() },
          port: devServerPort(),
        }
      : undefined,
  };
};

module.exports.manifestFor = manifestFor;
module.exports.productionUrl = productionUrl;
module.exports.devServerPort = devServerPort;
module.exports.stylesheetName = stylesheetName;
module.exports.DEV_URL = DEV_URL;
module.exports.DEV_ID = DEV_ID;
module.exports.PRODUCTION_ID = PRODUCTION_ID;
